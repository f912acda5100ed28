"""Moving bytes: the archive (write-once, by sha256), reading delimited text into DuckDB, writing rows and result files."""
