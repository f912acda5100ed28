"""What Airflow makes of the batch path's errors (pipelines.batch.errors)."""

from __future__ import annotations

from pipelines.batch import errors


def as_airflow(exc: BaseException) -> BaseException:
    """The exception a task raises for `exc`: a skip, a sensor timeout, a retryable failure
    or a failure not worth retrying; any other exception is raised as it is."""
    from airflow.sdk import exceptions as af  # only where a task runs

    for kind, airflow_kind in (
        (errors.NotConfigured, af.AirflowSkipException),  # nothing to fetch it from
        (errors.FilesNotLanded, af.AirflowSensorTimeout),
        (errors.WarehouseBusy, af.AirflowException),  # retried: the other writer finishes
        (errors.BatchRejected, af.AirflowFailException),  # the file: a retry reads it again
        (errors.Unrecoverable, af.AirflowFailException),  # retrying cannot fix it
    ):
        if isinstance(exc, kind):
            return airflow_kind(str(exc))
    return exc
