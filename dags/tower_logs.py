"""
### Tower logs

One run per local (WITA) day. First `fetch`, when the Airflow Connection `noc_sftp` is
configured: a sensor (reschedule mode) that fetches the day's files from the NOC's SFTP
server into the landing zone, each complete file once (`audit.remote_fetch`; remote layout
and rules: docs/sources.md section 5a); without the Connection it is skipped and files
dropped into the landing zone load as ever. Then one task group per kind: `inventory` (the snapshots in force),
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

from pipelines.batch.sources import EARLIEST_DAY


@dag(
    dag_id="tower_logs",
    # Data intervals of one local day: a scheduled run's logical date is the day's start.
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="Asia/Makassar"),
    # No day before it can be loaded (a run before start_date would silently do nothing):
    # the pipeline's first day (a setting) is never earlier, and files dated before that are
    # refused with the reason. Catchup off: a new deployment must not queue years of runs.
    start_date=pendulum.parse(EARLIEST_DAY, tz="Asia/Makassar"),
    catchup=False,
    max_active_runs=4,
    doc_md=__doc__,
    tags=["towers"],
)
def tower_logs():
    source_tasks("tower_logs")


tower_logs()
