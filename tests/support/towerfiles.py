"""The tower delivery builders live in pipelines.selftest.towerfiles (the selftest writes
them at run time); the tests import them from here as before."""

from pipelines.selftest.towerfiles import (  # noqa: F401
    INVENTORY_COLUMNS,
    KPI_COLUMNS,
    day_samples,
    sample,
    syslog,
    write_events,
    write_inventory,
    write_kpi,
)
