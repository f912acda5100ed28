"""The village_registry DAG wires the three deliveries in order, then the crosswalk."""

from __future__ import annotations

from pipelines.runner import configure_airflow, load_dags


def test_dag_loads_editions_then_bps_then_attributes_then_crosswalk(settings):
    configure_airflow(settings)
    dag = load_dags(settings)["village_registry"]
    order = [t.task_id for t in dag.topological_sort()]
    steps = [f"{kind}.{step}" for kind in ("kemendagri", "bps", "attributes")
             for step in ("list", "archive", "stage", "validate", "publish")] + ["crosswalk"]
    assert sorted(order) == sorted(steps)
    assert [t for t in order if t in steps] == steps
    assert dag.get_task("bps.list").upstream_task_ids == {"kemendagri.publish"}
    assert all(t.pool == "duckdb_writer" for t in dag.tasks)
