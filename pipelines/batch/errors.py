"""What the batch path raises. Plain exceptions: pipelines.batch.airflow_errors says what Airflow makes of them
(a skip, a sensor timeout, a failure not worth retrying)."""


class BatchRejected(Exception):
    """A whole delivery refused (missing columns, wrong period...). Already recorded in audit."""


class FilesNotLanded(Exception):
    """A partition's files did not land before the wait's deadline."""


class NotConfigured(LookupError):
    """A delivery needs a connection that is not configured: nothing to fetch it from."""


class Unrecoverable(RuntimeError):
    """A failure that a retry cannot fix (e.g. a refused token)."""


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse (DuckDB has one writer): no fault of the data."""


class PartitionTakenOver(WarehouseBusy):
    """A later attempt at the same partition (another task instance) took this attempt's
    load over and has not published it yet: the partition is not done, so neither is this
    task; run again, it is done once that attempt has published."""
