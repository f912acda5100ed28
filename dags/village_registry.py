"""
### Village registry

First `fetch`, when the Airflow Connection `registry_portal` is configured: new editions
from the registry portal's index into the landing zone (conditional GET, sha256 checked,
legal basis kept in `audit.remote_fetch`; docs/sources.md section 5b); skipped without it.
Then loads every new registry delivery in the landing zone, one task group per kind, in
this order (attributes are checked against the registry the editions just published):

1. `kemendagri`: editions `landing/registry/kemendagri/<effective-date>.csv`
   (suite `kemendagri_region`) into `core.region_edition`; `core.dim_region` (type-2
   history) and `core.region_code_succession` are re-derived from all editions, so a
   late, older edition lands in its place.
2. `bps`: BPS Master File Desa `landing/registry/bps/<effective-date>/*.csv`
   (suite `bps_region`) into `core.bps_region`.
3. `attributes`: village attributes `landing/registry/attributes/<year>.csv`
   (suite `village_attributes`) into `core.village_attributes`.

Each group: list → archive → stage → validate → publish. Then `crosswalk` rebuilds
`core.bps_crosswalk` with `config/bps_mapping.csv`. Rejected rows are in `audit.quarantine`;
every load in `audit.load`; unmatched BPS entries: `konektivitas registry unmatched`.
"""

import pendulum
from airflow.sdk import dag
from source_dag import source_tasks


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
    source_tasks("village_registry")


village_registry()
