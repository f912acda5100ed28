"""
### Tower logs

One run per local (WITA) day, one task group per kind: `inventory` (the snapshots in force),
then `kpi` (`landing/towers/kpi/<day>.csv[.gz]`) and `events`
(`landing/towers/events/<day>.log[.gz]`). Each group's `list` waits until all of the day's
files landed, then archive → stage → validate (`expectations/tower_*.json`) → publish the
day's partition of `core.dim_tower`, `core.fct_tower_kpi_5min`, `core.fct_tower_event`;
then `indicators` refreshes the day's and month's tower indicators. Days are independent
and idempotent: a backfill (`airflow backfill create --dag-id tower_logs ...`) runs them
in any order. Rejected rows are in `audit.quarantine`.
"""

import pendulum
from airflow.sdk import CronDataIntervalTimetable, dag
from source_dag import source_tasks


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
    source_tasks("tower_logs")


tower_logs()
