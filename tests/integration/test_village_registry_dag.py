"""The village_registry DAG wires the three deliveries in order, then the crosswalk."""

from __future__ import annotations

from pipelines.runner import configure_airflow, load_dags


def test_dag_loads_editions_then_bps_then_attributes_then_crosswalk(settings):
    configure_airflow(settings)
    dag = load_dags(settings)["village_registry"]
    order = [t.task_id for t in dag.topological_sort()]
    steps = [f"{kind}.{step}" for kind in ("kemendagri", "bps", "attributes")
             for step in ("list", "archive", "stage", "validate", "publish")] + ["crosswalk"]
    assert sorted(order) == sorted(["fetch", *steps])  # fetch: the portal pull, first
    assert [t for t in order if t in steps] == steps and order[0] == "fetch"
    assert dag.get_task("bps.list").upstream_task_ids == {"kemendagri.publish", "fetch"}
    assert dag.get_task("kemendagri.list").upstream_task_ids == {"fetch"}
    assert all(t.pool == "duckdb_writer" for t in dag.tasks)


def test_a_rejected_file_upstream_stops_no_kind_yet_fails_the_run(settings):
    configure_airflow(settings)
    dags = load_dags(settings)
    for dag_id in ("village_registry", "tower_logs"):
        dag = dags[dag_id]
        waiting = [t for t in dag.tasks if t.upstream_task_ids and t.task_id.endswith(".list")]
        after = [t for t in dag.tasks if "." not in t.task_id and t.task_id != "fetch"]
        assert waiting and after, dag_id
        rule = {t.task_id: getattr(t.trigger_rule, "value", t.trigger_rule) for t in dag.tasks}
        assert {rule[t.task_id] for t in waiting} == {"all_done"}, dag_id  # fetch's skip too
        assert all("fetch" in t.upstream_task_ids for t in waiting), dag_id
        # the after-steps are the leaves: they wait for every group, so a rejection fails the run
        assert {rule[t.task_id] for t in after} == {"all_success"}, dag_id
        assert all(not t.downstream_task_ids for t in after), dag_id
