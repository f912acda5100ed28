"""
### Tower logs

One run per local (WITA) day: waits for `landing/towers/kpi/<day>.csv[.gz]`,
`landing/towers/events/<day>.log[.gz]` and an inventory snapshot in force, then
inventory → archive → load: stage, validate (`expectations/tower_*.json`), publish the
day's partition of `core.fct_tower_kpi_5min` and `core.fct_tower_event` → refresh the
day's and month's tower indicators. Days are independent and idempotent: a backfill
(`airflow backfill create --dag-id tower_logs ...`) runs them in any order. Rejected rows are in `audit.quarantine`.
"""

import pendulum
from airflow.sdk import CronDataIntervalTimetable, PokeReturnValue, dag, task

from pipelines.assets import DIM_TOWER, FCT_TOWER_EVENT, FCT_TOWER_KPI, TOWER_AVAILABILITY

WAIT_TIMEOUT_S = 48 * 3600  # a backstop: the poke itself fails with the clear message first


@dag(
    dag_id="tower_logs",
    # Data intervals of one local day: a scheduled run's logical date is the day's start.
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="Asia/Makassar"),
    # Any past day can be loaded (a run before start_date would silently do nothing), but a
    # new deployment must not queue years of runs: past days are a backfill of independent days.
    start_date=pendulum.datetime(2020, 1, 1, tz="Asia/Makassar"),
    catchup=False,
    max_active_runs=4,
    doc_md=__doc__,
    tags=["towers"],
)
def tower_logs():
    @task.sensor(poke_interval=600, timeout=WAIT_TIMEOUT_S, mode="reschedule")
    def wait_for_files(logical_date=None, data_interval_start=None) -> PokeReturnValue:
        from airflow.sdk.exceptions import AirflowSensorTimeout

        from pipelines.settings import get_settings
        from pipelines.towers import day as towers

        day = towers.run_day(logical_date, data_interval_start)
        try:
            landed = towers.files_landed(get_settings(), day)
        except towers.FilesNotLanded as exc:
            raise AirflowSensorTimeout(str(exc)) from exc
        return PokeReturnValue(is_done=landed, xcom_value=str(day))

    @task(pool="duckdb_writer", outlets=[DIM_TOWER])
    def load_inventory(day: str) -> str:
        from datetime import date

        from pipelines.settings import get_settings
        from pipelines.towers import day as towers

        towers.task_load_inventory(get_settings(), date.fromisoformat(day))
        return day

    @task(pool="duckdb_writer")
    def archive(day: str) -> dict[str, str]:
        from datetime import date

        from pipelines.settings import get_settings
        from pipelines.towers import day as towers

        return towers.task_archive(get_settings(), date.fromisoformat(day))

    # stage → validate → publish, one session (KPI rows land unpublished, see towers.land_kpi)
    @task(pool="duckdb_writer", outlets=[FCT_TOWER_KPI, FCT_TOWER_EVENT])
    def load(loads: dict[str, str]) -> dict[str, dict]:
        from pipelines.settings import get_settings
        from pipelines.towers import day as towers

        return towers.task_load(get_settings(), loads)

    @task(pool="duckdb_writer", outlets=[TOWER_AVAILABILITY])
    def indicators(day: str) -> int:
        from datetime import date

        from pipelines.settings import get_settings
        from pipelines.towers import day as towers

        return towers.task_indicators(get_settings(), date.fromisoformat(day))

    day = load_inventory(wait_for_files())
    load(archive(day)) >> indicators(day)


tower_logs()
