"""A source DAG's tasks (pipelines.batch.sources), what Airflow makes of pipelines' errors."""

import contextlib
from datetime import timedelta

from airflow.sdk import PokeReturnValue, TaskGroup, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSensorTimeout, AirflowSkipException

import pipelines.assets as assets
from pipelines.batch.sources import SOURCES, STEPS

POOL = "duckdb_writer"  # DuckDB has one writer: every task that opens the warehouse queues here


def _work(source: str, kind: str | None, name: str, data, connection_id, context: dict):
    from airflow.sdk import BaseHook

    from pipelines.batch import errors, run
    from pipelines.settings import get_settings

    conn = None
    with contextlib.suppress(Exception):  # not found (its type varies): then NotConfigured
        conn = BaseHook.get_connection(connection_id) if connection_id else None
    dates = [context.get(k) for k in ("logical_date", "data_interval_start", "data_interval_end")]
    try:
        return run.run_task(get_settings(), source, kind, name, data, conn, *dates)
    except errors.NotConfigured as exc:
        raise AirflowSkipException(str(exc)) from None
    except errors.FilesNotLanded as exc:
        raise AirflowSensorTimeout(str(exc)) from exc
    except errors.Unrecoverable as exc:
        raise AirflowFailException(str(exc)) from None  # retrying cannot fix it


@task(pool=POOL)
def step(source: str, kind: str | None, name: str, data=None, connection_id=None, **context):
    return _work(source, kind, name, data, connection_id, context)


@task.sensor(pool=POOL, poke_interval=600, timeout=48 * 3600, mode="reschedule")  # 48 h: backstop
def wait_and_list(source: str, kind: str, name: str, data=None, connection_id=None, **context):
    items = _work(source, kind, name, data, connection_id, context)
    return PokeReturnValue(is_done=items is not None, xcom_value=items)


def fetch_task(dag_id: str):
    """The source's pull into landing/ (skipped when its Connection is not configured); a
    broken transfer is retried, each try starting the file afresh."""
    pull = SOURCES[dag_id].pull
    first = (wait_and_list if pull.wait else step).override(
        task_id="fetch", retries=2, retry_delay=timedelta(minutes=2))
    return first(dag_id, None, "fetch", connection_id=pull.connection)


def source_tasks(dag_id: str) -> None:
    """In a @dag: the source's fetch when it has one, then per delivery kind a group of
    STEPS, in the order kinds need, then after-steps."""
    source, groups = SOURCES[dag_id], {}
    fetched = fetch_task(dag_id) if source.pull else None
    for d in source.deliveries:
        with TaskGroup(d.kind) as groups[d.kind]:
            first = (wait_and_list if d.wait else step).override(  # a rejection stops no kind
                task_id="list", trigger_rule="all_done")
            data = first(dag_id, d.kind, "list", connection_id=d.connection)
            for name in STEPS[1:]:
                out = [getattr(assets, a) for a in d.outlets] if name == "publish" else []
                data = step.override(task_id=name, outlets=out)(dag_id, d.kind, name, data)
        for need in d.needs:
            groups[need] >> groups[d.kind]
        if fetched is not None:  # every list waits for it; its skip or failure stops none
            fetched >> groups[d.kind]
    for a in source.after:
        out = [getattr(assets, n) for n in a.outlets]
        list(groups.values()) >> step.override(task_id=a.task_id, outlets=out)(dag_id, None, a.task_id)
