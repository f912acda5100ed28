"""
### Connectivity marts

Rebuilds the marts (`warehouse/models/marts/`) whenever a source DAG publishes
to a core table it reads.
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
        DIM_REGION | VILLAGE_ATTRIBUTES | BPS_CROSSWALK
        | DIM_TOWER | TOWER_AVAILABILITY
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
    def build_marts() -> dict[str, int]:
        from pipelines.marts import build_marts
        from pipelines.settings import get_settings

        return build_marts(get_settings())

    build_marts()


connectivity_marts()
