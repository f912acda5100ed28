"""
### Village registry

Loads every new registry delivery in the landing zone, in this order:

1. Kemendagri editions `landing/registry/kemendagri/<effective-date>.csv`
   (suite `kemendagri_region`) into `core.region_edition`; `core.dim_region` (type-2
   history) and `core.region_code_succession` are re-derived from all editions, so a
   late, older edition lands in its place.
2. BPS Master File Desa `landing/registry/bps/<effective-date>/*.csv`
   (suite `bps_region`) into `core.bps_region`.
3. Village attributes `landing/registry/attributes/<year>.csv`
   (suite `village_attributes`) into `core.village_attributes`.

Each file: archive → stage → validate → publish. Then `core.bps_crosswalk` is rebuilt
with `config/bps_mapping.csv`. Rejected rows are in `audit.quarantine`; every load in
`audit.load`; unmatched BPS entries: `konektivitas registry unmatched`.
"""

import pendulum
from airflow.sdk import chain, dag, task

from pipelines.assets import BPS_CROSSWALK, DIM_REGION, VILLAGE_ATTRIBUTES

KINDS = {"kemendagri": [DIM_REGION], "bps": [], "attributes": [VILLAGE_ATTRIBUTES]}


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
    def archive(kind: str) -> list[str]:
        from pipelines.registry import deliveries as registry
        from pipelines.settings import get_settings

        return registry.archive_new(get_settings(), kind)

    @task(pool="duckdb_writer")
    def stage(kind: str, load_ids: list[str]) -> list[str]:
        from pipelines.batch.steps import stage_loads
        from pipelines.registry import deliveries as registry
        from pipelines.settings import get_settings

        return stage_loads(get_settings(), registry.DELIVERIES[kind].dataset, load_ids)

    @task(pool="duckdb_writer")
    def validate(kind: str, load_ids: list[str]) -> list[str]:
        from pipelines.batch.steps import validate_loads
        from pipelines.registry import deliveries as registry
        from pipelines.settings import get_settings

        return validate_loads(get_settings(), registry.DELIVERIES[kind].dataset, load_ids)

    @task(pool="duckdb_writer")
    def publish(kind: str, load_ids: list[str]) -> list[dict]:
        from pipelines.batch.steps import publish_loads
        from pipelines.registry import deliveries as registry
        from pipelines.settings import get_settings

        return publish_loads(get_settings(), registry.DELIVERIES[kind].dataset, load_ids)

    @task(pool="duckdb_writer", outlets=[BPS_CROSSWALK])
    def crosswalk() -> dict[str, int]:
        from pipelines.registry import deliveries as registry
        from pipelines.settings import get_settings

        return registry.refresh_crosswalk(get_settings())

    # One chain per delivery kind, run one kind after the other: attributes are
    # checked against the registry the editions just published.
    steps = []
    for kind, outlets in KINDS.items():
        ids = archive.override(task_id=f"archive_{kind}")(kind)
        staged = stage.override(task_id=f"stage_{kind}")(kind, ids)
        checked = validate.override(task_id=f"validate_{kind}")(kind, staged)
        steps += [ids, publish.override(task_id=f"publish_{kind}", outlets=outlets)(kind, checked)]
    chain(*steps, crosswalk())


village_registry()
