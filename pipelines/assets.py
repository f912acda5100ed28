"""The warehouse tables that link DAGs, declared once: producers name them as outlets,
connectivity_marts is scheduled on them."""

from airflow.sdk import Asset

DIM_REGION = Asset("konektivitas://warehouse/core/dim_region")
PARTNER_SITE = Asset("konektivitas://warehouse/core/dim_partner_site")
PARTNER_OUTAGE = Asset("konektivitas://warehouse/core/fct_partner_outage")
PARTNER_SLA_REPORTED = Asset("konektivitas://warehouse/core/fct_partner_sla_reported")
VILLAGE_ATTRIBUTES = Asset("konektivitas://warehouse/core/village_attributes")
BPS_CROSSWALK = Asset("konektivitas://warehouse/core/bps_crosswalk")
DIM_TOWER = Asset("konektivitas://warehouse/core/dim_tower")
FCT_TOWER_KPI = Asset("konektivitas://warehouse/core/fct_tower_kpi_5min")
FCT_TOWER_EVENT = Asset("konektivitas://warehouse/core/fct_tower_event")
TOWER_AVAILABILITY = Asset("konektivitas://warehouse/marts/tower_availability")
