"""
### Village registry

Loads every new Kemendagri region-code edition found in
`landing/registry/kemendagri/<effective-date>.csv`, oldest first:
archive → stage → validate (`expectations/kemendagri_region.json`) → publish to
`core.dim_region`. Rejected rows are in `audit.quarantine`; every load in `audit.load`.
"""

import pendulum
from airflow.sdk import dag, task

from pipelines.assets import DIM_REGION


@dag(
    dag_id="village_registry",
    schedule="@daily",
    start_date=pendulum.datetime(2020, 1, 1, tz="Asia/Makassar"),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["registry"],
)
def village_registry():
    @task(pool="duckdb_writer")
    def archive_new_editions() -> list[str]:
        from pipelines.settings import get_settings
        from pipelines.sources import kemendagri

        return kemendagri.archive_new_editions(get_settings())

    @task(pool="duckdb_writer")
    def stage(load_ids: list[str]) -> list[str]:
        from pipelines.batch import stage_loads
        from pipelines.settings import get_settings
        from pipelines.sources import kemendagri

        return stage_loads(get_settings(), kemendagri.DATASET, load_ids)

    @task(pool="duckdb_writer")
    def validate(load_ids: list[str]) -> list[str]:
        from pipelines.batch import validate_loads
        from pipelines.settings import get_settings
        from pipelines.sources import kemendagri

        return validate_loads(get_settings(), kemendagri.DATASET, load_ids)

    @task(pool="duckdb_writer", outlets=[DIM_REGION])
    def publish(load_ids: list[str]) -> list[dict]:
        from pipelines.batch import publish_loads
        from pipelines.settings import get_settings
        from pipelines.sources import kemendagri

        return publish_loads(get_settings(), kemendagri.DATASET, load_ids)

    publish(validate(stage(archive_new_editions())))


village_registry()
