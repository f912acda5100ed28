"""
### PLN partner data

Two independent task groups, daily (a skipped pull must not skip the spreadsheet):

- **`api`**: `list` pulls sites changed since the last successful pull and outages from
  that pull minus a lookback up to the run's end, from connection `pln_partner_api`
  (base URL + bearer token), archiving every page with its sha256; then archive → stage →
  validate → publish: sites to `core.dim_partner_site` (history), outages upserted by
  `outage_id` into `core.fct_partner_outage`. The watermark (`audit.api_watermark`)
  moves only when both streams are published. Skipped when no connection is configured.
- **`sla_report`**: every new `landing/pln/sla/<YYYY-MM>.xlsx` →
  `core.fct_partner_sla_reported`, one month per file.
"""

import pendulum
from airflow.sdk import dag
from source_dag import source_tasks


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
    source_tasks("pln_partner")


pln_partner()
