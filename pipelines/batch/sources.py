"""Every source and its deliveries, declared once: the DAGs, the embedded runner and the
tests all read this.

Plain data on purpose: DAG files import it while being parsed, and the runner before
Airflow is configured, so it names the code that loads each delivery ("module:attribute",
a pipelines.batch.feed.Feed) and the Assets it updates (names in pipelines.assets)
instead of importing them.
"""

from __future__ import annotations

from dataclasses import dataclass

# The daily DAG's start date: no run is possible before it, so the pipeline's first day
# (pipelines.settings.Settings.first_day) may be later, never earlier.
EARLIEST_DAY = "2020-01-01"

# The steps of every delivery, in order; each is a task of the delivery's group.
STEPS = ("list", "archive", "stage", "validate", "publish")


@dataclass(frozen=True)
class Delivery:
    kind: str  # the DAG's task group
    feed: str  # "module:attribute" of its Feed: datasets (suites), discovery, partition keys
    outlets: tuple[str, ...] = ()  # names of the Assets (pipelines.assets) it updates
    needs: tuple[str, ...] = ()  # kinds published first (their rows are checked against)
    wait: bool = False  # list waits for the files (a sensor) until the feed's deadline
    connection: str | None = None  # the Airflow connection list fetches from


@dataclass(frozen=True)
class AfterStep:
    task_id: str
    call: str  # "module:function" called with (con, settings, partition) after every publish
    outlets: tuple[str, ...] = ()
    pending: str | None = None  # "module:function(con, settings) -> bool": work without new files


@dataclass(frozen=True)
class Pull:
    """Fetching a source's deliveries into landing/ from where they live, before `list`:
    on only when its Airflow Connection is configured (else landing/ works as without it)."""

    connection: str
    call: str  # "module:function(con, settings, connection, partition) -> bool": done
    everything: str  # "module:function(con, settings, connection)": every partition (runner)
    wait: bool = False  # a sensor (reschedule mode) pokes until call says done


@dataclass(frozen=True)
class Source:
    dag_id: str
    # "day": one run per local day (its logical date); "run": everything pending at run time.
    partition: str
    deliveries: tuple[Delivery, ...]
    after: tuple[AfterStep, ...] = ()
    pull: Pull | None = None  # its `fetch` task, before every delivery's list


SOURCES: dict[str, Source] = {s.dag_id: s for s in (
    Source("village_registry", "run", (
        Delivery("kemendagri", "pipelines.registry.deliveries:KEMENDAGRI", ("DIM_REGION",)),
        Delivery("bps", "pipelines.registry.deliveries:BPS", needs=("kemendagri",)),
        Delivery("attributes", "pipelines.registry.deliveries:ATTRIBUTES", ("VILLAGE_ATTRIBUTES",),
                 needs=("bps",)),
    ), after=(AfterStep("crosswalk", "pipelines.registry.deliveries:refresh_crosswalk",
                        ("BPS_CROSSWALK",), "pipelines.registry.crosswalk:crosswalk_pending"),),
           pull=Pull("registry_portal", "pipelines.pull.portal:fetch_run",
                     "pipelines.pull.portal:fetch_all")),
    Source("tower_logs", "day", (
        Delivery("inventory", "pipelines.towers.inventory:FEED", ("DIM_TOWER",), wait=True),
        Delivery("kpi", "pipelines.towers.kpi:FEED", ("FCT_TOWER_KPI",), ("inventory",), wait=True),
        Delivery("events", "pipelines.towers.events:FEED", ("FCT_TOWER_EVENT",), ("inventory",),
                 wait=True),
    ), after=(AfterStep("indicators", "pipelines.towers.indicators:refresh_day",
                        ("TOWER_AVAILABILITY",)),),
           pull=Pull("noc_sftp", "pipelines.pull.towers:fetch_day",
                     "pipelines.pull.towers:fetch_all", wait=True)),
    Source("pln_partner", "run", (
        Delivery("api", "pipelines.pln.pull:FEED", ("PARTNER_SITE", "PARTNER_OUTAGE"),
                 connection="pln_partner_api"),
        Delivery("sla_report", "pipelines.pln.sla_report:FEED", ("PARTNER_SLA_REPORTED",)),
    )),
)}
