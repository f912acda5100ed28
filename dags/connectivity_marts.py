"""
### Connectivity marts

Runs when any source DAG publishes a table the marts read. Through the mart engine it
rebuilds the whole marts, then only the months that new loads touched
(`audit.mart_build` records which and why), then writes the latest month's report to
`reports/`.
"""

import pendulum
from airflow.sdk import dag, task

from pipelines.assets import (
    BPS_CROSSWALK,
    DIM_REGION,
    DIM_TOWER,
    PARTNER_OUTAGE,
    PARTNER_SITE,
    PARTNER_SLA_REPORTED,
    TOWER_AVAILABILITY,
    VILLAGE_ATTRIBUTES,
)


@dag(
    dag_id="connectivity_marts",
    # Any one of them updated is reason enough to rebuild (| = any, a list would wait for all).
    schedule=(
        DIM_REGION | VILLAGE_ATTRIBUTES | BPS_CROSSWALK | DIM_TOWER | TOWER_AVAILABILITY
        | PARTNER_SITE | PARTNER_OUTAGE | PARTNER_SLA_REPORTED
    ),
    start_date=pendulum.datetime(2020, 1, 1, tz="Asia/Makassar"),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["marts"],
)
def connectivity_marts():
    @task(pool="duckdb_writer")
    def build_marts() -> list[str]:
        from pipelines.marts.months import build_stale_months
        from pipelines.settings import get_settings

        return [m.isoformat() for m in build_stale_months(get_settings())]

    @task
    def write_report(months: list[str]) -> str | None:
        from pipelines.marts.report.render import write_latest_report
        from pipelines.settings import get_settings

        path = write_latest_report(get_settings())
        return str(path) if path else None

    write_report(build_marts())


connectivity_marts()
