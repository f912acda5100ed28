"""Tower logs: inventory snapshots, 5-minute KPI files and router syslog, one local (WITA) day per partition."""
