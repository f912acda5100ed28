-- The DuckLake catalog lives beside Airflow's metadata, in its own database.
CREATE DATABASE ducklake OWNER airflow;
