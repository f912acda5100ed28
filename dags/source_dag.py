"""A source DAG's tasks (pipelines.batch.sources), what Airflow makes of pipelines' errors."""

import contextlib

from airflow.sdk import BaseHook, PokeReturnValue, TaskGroup, task

import pipelines.assets as assets
from pipelines.batch.sources import SOURCES, STEPS

POOL = "duckdb_writer"  # DuckDB has one writer: every task that opens the warehouse queues here


def _work(source: str, kind: str | None, name: str, data, connection_id, context: dict):
    from pipelines.batch import run
    from pipelines.batch.airflow_errors import as_airflow
    from pipelines.settings import get_settings

    conn = None
    with contextlib.suppress(Exception):  # not found (its type varies): then NotConfigured
        conn = BaseHook.get_connection(connection_id) if connection_id else None
    dates = [context.get(k) for k in ("logical_date", "data_interval_start", "data_interval_end")]
    try:
        return run.run_task(get_settings(), source, kind, name, data, conn, *dates)
    except Exception as exc:
        raise as_airflow(exc) from None


@task(pool=POOL)
def step(source: str, kind: str | None, name: str, data=None, connection_id=None, **context):
    return _work(source, kind, name, data, connection_id, context)


@task.sensor(pool=POOL, poke_interval=600, timeout=48 * 3600, mode="reschedule")  # 48 h: backstop
def wait_and_list(source: str, kind: str, name: str, data=None, connection_id=None, **context):
    items = _work(source, kind, name, data, connection_id, context)  # fetch: True once done
    return PokeReturnValue(is_done=items is not None, xcom_value=items)


def source_tasks(dag_id: str) -> None:
    """In a @dag: the fetch into landing/, per delivery kind a group of STEPS, after-steps."""
    source, groups, p = SOURCES[dag_id], {}, SOURCES[dag_id].pull
    fetch = p and (wait_and_list if p.wait else step).override(  # skipped without its Connection
        task_id="fetch", retries=2)(dag_id, None, "fetch", connection_id=p.connection)
    for d in source.deliveries:
        with TaskGroup(d.kind) as groups[d.kind]:
            first = (wait_and_list if d.wait else step).override(  # a rejection stops no kind
                task_id="list", trigger_rule="all_done")
            data = first(dag_id, d.kind, "list", connection_id=d.connection)
            for name in STEPS[1:]:
                out = [getattr(assets, a) for a in d.outlets] if name == "publish" else []
                data = step.override(task_id=name, outlets=out)(dag_id, d.kind, name, data)
        for up in [groups[need] for need in d.needs] + ([fetch] if fetch else []):
            up >> groups[d.kind]  # a skipped or failed fetch stops no list (all_done)
    for a in source.after:
        out = [getattr(assets, n) for n in a.outlets]
        list(groups.values()) >> step.override(task_id=a.task_id, outlets=out)(dag_id, None, a.task_id)
