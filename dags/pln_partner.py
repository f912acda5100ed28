"""
### PLN partner data

Two independent parts, daily:

- **API pull** (`pull_api`): sites changed since the last successful pull and outages
  from that pull minus a lookback up to the run's end, from connection
  `pln_partner_api` (base URL + bearer token). Every page is archived with its sha256;
  sites go to `core.dim_partner_site` (history), outages are upserted by `outage_id`
  into `core.fct_partner_outage`. The watermark (`audit.api_watermark`) moves only
  when the whole pull is published. Skipped when no connection is configured.
- **Monthly SLA report** (`load_sla_reports`): every new `landing/pln/sla/<YYYY-MM>.xlsx`
  → `core.fct_partner_sla_reported`, one month per file.
"""

import pendulum
from airflow.sdk import dag, task

from pipelines.assets import PARTNER_OUTAGE, PARTNER_SITE, PARTNER_SLA_REPORTED


@dag(
    dag_id="pln_partner",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Makassar"),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["pln"],
)
def pln_partner():
    @task(pool="duckdb_writer", outlets=[PARTNER_SITE, PARTNER_OUTAGE])
    def pull_api(data_interval_end=None, logical_date=None) -> str:
        from pipelines.pln import pull as pln
        from pipelines.settings import get_settings

        return pln.pull_in_airflow(get_settings(), data_interval_end or logical_date)

    @task(pool="duckdb_writer", outlets=[PARTNER_SLA_REPORTED])
    def load_sla_reports() -> list[dict]:
        from pipelines.pln import sla_report as pln_sla
        from pipelines.settings import get_settings

        return [r.__dict__ for r in pln_sla.load_reports(get_settings())]

    # Independent: a skipped pull (no connection) must not skip the spreadsheet.
    pull_api()
    load_sla_reports()


pln_partner()
