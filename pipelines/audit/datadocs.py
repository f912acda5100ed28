"""Great Expectations' file context for a home: suites from expectations/, results, Data Docs."""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.audit.docs_assets import localise_site
from pipelines.audit.verdict import Verdict, load_verdicts
from pipelines.demo import marking
from pipelines.settings import Settings

SITE = "konektivitas"


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation_type: str
    kwargs: dict[str, Any]
    rule: str
    success: bool
    element_count: int
    unexpected_count: int
    sample: list[Any]

    @property
    def observed_value(self) -> int | None:
        """What GX reports as observed: the unexpected rows of a row-set rule; None otherwise."""
        return self.unexpected_count if self.expectation_type.startswith("unexpected") else None


def _context(settings: Settings):  # -> FileDataContext (GX imports are slow: keep them lazy)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx

    settings.gx_root.mkdir(parents=True, exist_ok=True)
    ctx = gx.get_context(mode="file", project_root_dir=str(settings.gx_root))
    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(settings.data_docs),
        },
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    if ctx.variables.data_docs_sites != {SITE: site}:
        ctx.variables.data_docs_sites = {SITE: site}
        ctx.variables.save()
        ctx = gx.get_context(mode="file", project_root_dir=str(settings.gx_root))
    return ctx


def run_name(load_id: str) -> str:
    """The validation run of a load, as GX names it and its Data Docs folder."""
    return f"load-{load_id}"


def record_validation(
    con: duckdb.DuckDBPyConnection, settings: Settings, suite: dict[str, Any], load_id: str,
    batch_meta: dict[str, Any], outcomes: list[ExpectationOutcome],
) -> str:
    """Store one validation run in GX's results store and rebuild its Data Docs pages.

    Returns the Data Docs index path.
    """
    from great_expectations.core import (
        ExpectationSuite,
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    ctx = _context(settings)
    gx_suite = ctx.suites.add_or_update(ExpectationSuite(**_without_ids(suite)))
    configs = [e.configuration for e in gx_suite.expectations]
    results = []
    for cfg, out in zip(configs, outcomes, strict=True):
        pct = 100.0 * out.unexpected_count / out.element_count if out.element_count else 0.0
        results.append(
            ExpectationValidationResult(
                success=out.success,
                expectation_config=cfg,
                result={
                    "element_count": out.element_count,
                    "unexpected_count": out.unexpected_count,
                    "unexpected_percent": pct,
                    "partial_unexpected_list": out.sample,
                    "missing_count": 0,
                    "observed_value": out.observed_value,
                },
            )
        )
    ok = sum(r.success for r in results)
    run_id = RunIdentifier(run_name=run_name(load_id))
    validation = ExpectationSuiteValidationResult(
        success=ok == len(results),
        results=results,
        suite_name=gx_suite.name,
        statistics={
            "evaluated_expectations": len(results),
            "successful_expectations": ok,
            "unsuccessful_expectations": len(results) - ok,
            "success_percent": 100.0 * ok / len(results) if results else 100.0,
        },
        meta={
            "run_id": run_id,
            "active_batch_definition": {
                "datasource_name": "warehouse",
                "data_connector_name": "staging",
                "data_asset_name": gx_suite.name,
                "batch_identifiers": {"load_id": load_id},
            },
            "batch_markers": batch_meta,
        },
    )
    key = ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=gx_suite.name),
        run_id=run_id,
        batch_identifier=load_id,
    )
    ctx.validation_results_store.set(key, validation)
    ctx.build_data_docs(site_names=[SITE], resource_identifiers=[key])
    pages = sorted(settings.data_docs.glob(f"validations/{gx_suite.name}/load-{load_id}/*/*.html"))
    _append_run(settings, {
        "suite": gx_suite.name, "load_id": load_id, "success": validation.success,
        "page": pages[-1].relative_to(settings.data_docs).as_posix() if pages else "",
        "evaluated": len(results), "failed": len(results) - ok,
        "file": batch_meta.get("file", ""), "validated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    return write_index(con, settings)


# GX's index lists validation runs by GX's success flag ("failed" for a load that published
# with a few rows quarantined). This list gives every load its verdict, as plain HTML
# between these markers.
_START, _END = "<!-- konektivitas-runs -->", "<!-- /konektivitas-runs -->"


def write_index(con: duckdb.DuckDBPyConnection, settings: Settings) -> str:
    """Make Data Docs local and write every load's verdict into their index.html.

    Called whenever Data Docs are built and whenever a load finishes, so the index always
    shows each load's final verdict. Returns the index path. Before GX has built Data Docs
    once (only rejected files so far) there is no index yet: the first build lists them.
    """
    index = settings.data_docs / "index.html"
    if not index.exists():
        return str(index)
    localise_site(settings.data_docs)
    write_run_verdicts(con, settings)
    page = index.read_text(encoding="utf-8")
    if _START in page:
        page = page[: page.index(_START)] + page[page.index(_END) + len(_END):]
    # Above GX's own content, so the verdicts are what an auditor reads first.
    anchor = "<div class=\"container-fluid" if "<div class=\"container-fluid" in page else "</body>"
    page = page.replace(anchor, run_list_html(con, settings) + anchor, 1)
    page = verdict_index_table(page, load_verdicts(con))
    # The demo mark from the landing zone: the first mart build records it in the warehouse.
    page = marking.mark_page(page, marking.is_demo(settings, warehouse=False))
    index.write_text(page, encoding="utf-8")
    return str(index)


def _append_run(settings: Settings, entry: dict[str, Any]) -> None:
    with (settings.gx_root / "runs.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")


def _runs(settings: Settings) -> list[dict[str, Any]]:
    """Every validation run recorded, oldest first."""
    runs_path = settings.gx_root / "runs.jsonl"
    if not runs_path.exists():
        return []
    runs = [json.loads(line) for line in runs_path.read_text(encoding="utf-8").splitlines()]
    return sorted(runs, key=lambda r: r["validated_at"])


def pages_by_load(settings: Settings) -> dict[str, str]:
    """The Data Docs page of each validated load (its latest validation run)."""
    return {r["load_id"]: r["page"] for r in _runs(settings)}


# GX heads each run page "Status: <cross> Failed" when any rule refused a row. Every run
# page, old and new, gets the load's verdict there instead; pages already showing their
# verdict (and not rebuilt since) are left alone.
_STATUS = re.compile(
    r'(<span class="h6" >Status:</span> )(?:<i class="fas [^"]*" aria-hidden="true"></i> '
    r'(?:Failed|Succeeded)|<span class="konektivitas-verdict[^"]*">.*?</span>)')
_ICONS = {"passed": "fa-check-circle text-success", "published": "fa-check-circle text-warning",
          "rejected": "fa-times text-danger", "not published": "fa-minus-circle text-secondary",
          "in progress": "fa-hourglass-half text-secondary"}


def verdict_status(page: str, verdict: Verdict) -> str:
    """The run page with its status line saying the load's verdict."""
    cls = verdict.word.replace(" ", "-")
    status = (f'<span class="konektivitas-verdict verdict-{cls}"><i class="fas '
              f'{_ICONS[verdict.word]}" aria-hidden="true"></i> {html.escape(verdict.text)}</span>')
    page = _STATUS.sub(lambda m: m[1] + status, page, count=1)
    return page.replace("> Failed Only", "> Rules that refused rows")


# GX's own table of runs in the index: one entry per run, as a Python-literal dict in the
# page's script, with a cross and "Failed" for a load published with rows quarantined.
_ENTRY = re.compile(r"\{'validation_success': '(?:[^'\\]|\\.)*'(?P<rest>.*?)"
                    r"'_validation_success_text': '(?:[^'\\]|\\.)*'", re.S)
_RUN_NAME = re.compile(r"'run_name': 'load-(\w+)'")


def verdict_index_table(page: str, verdicts: dict[str, Verdict]) -> str:
    """The index with each run of GX's table showing its load's verdict."""
    def entry(m: re.Match[str]) -> str:
        run = _RUN_NAME.search(m["rest"])
        verdict = verdicts.get(run[1]) if run else None
        if verdict is None:
            return m[0]
        # Inside a single-quoted literal: no quote or backslash may pass through.
        text = html.escape(verdict.text, quote=True).replace("\\", "&#92;")
        cell = (f'<span class="konektivitas-verdict verdict-{verdict.word.replace(" ", "-")}">'
                f'<i class="fas {_ICONS[verdict.word]}"></i> {text}</span>')
        return (f"{{'validation_success': '{cell}'{m['rest']}"
                f"'_validation_success_text': '{text}'")
    return _ENTRY.sub(entry, page)


def write_run_verdicts(con: duckdb.DuckDBPyConnection, settings: Settings) -> list[Path]:
    """Put each load's verdict on its run pages; returns the pages rewritten."""
    runs = [r for r in _runs(settings) if r.get("page")]
    verdicts = load_verdicts(con, sorted({r["load_id"] for r in runs}))
    state_path = settings.gx_root / "verdict_pages.json"
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {}
    written = []
    for run in runs:
        path, verdict = settings.data_docs / run["page"], verdicts.get(run["load_id"])
        if verdict is None or not path.exists():
            continue
        if state.get(run["page"]) == [verdict.text, path.stat().st_mtime_ns]:
            continue
        text = path.read_text(encoding="utf-8")
        new = verdict_status(text, verdict)
        if new != text:
            path.write_text(new, encoding="utf-8")
            written.append(path)
        state[run["page"]] = [verdict.text, path.stat().st_mtime_ns]
    if written or not state_path.exists():
        state_path.write_text(json.dumps(state), encoding="utf-8")
    return written


def run_list_html(con: duckdb.DuckDBPyConnection, settings: Settings) -> str:
    """Every load, newest first, with its verdict and its validation page."""
    loads = con.execute(
        """SELECT load_id, strftime(started_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), dataset,
                  coalesce(file_name, '')
           FROM audit.load ORDER BY started_at DESC, load_id"""
    ).fetchall()
    verdicts = load_verdicts(con)
    pages = pages_by_load(settings)
    rows = []
    for load_id, started, dataset, file_name in loads:
        verdict = verdicts[load_id]
        page = pages.get(load_id)
        link = f"<a href='{html.escape(page)}'>load {html.escape(load_id)}</a>" if page \
            else f"load {html.escape(load_id)}"
        rows.append(
            f"<tr class='verdict-{verdict.word.replace(' ', '-')}'><td>{started}</td>"
            f"<td>{html.escape(dataset)}</td><td>{html.escape(file_name)}</td>"
            f"<td>{html.escape(verdict.text)}</td><td>{link}</td></tr>"
        )
    return (
        f"{_START}<section id='konektivitas-runs' class='container-fluid pt-4 pb-4 pl-5 pr-5'>"
        "<h2>Every load and its verdict</h2>"
        "<p>A load published with some rows quarantined is normal: those rows wait in "
        "audit.quarantine with their reasons. GX's table below marks such a run with a cross "
        "because a rule refused a row; the verdict here says what became of the load.</p>"
        + audit_reports_html(settings)
        + "<table class='table table-sm table-bordered'><thead><tr><th>started (UTC)</th>"
        "<th>dataset</th><th>file</th><th>verdict</th><th>validation</th></tr></thead><tbody>"
        + "".join(rows) + f"</tbody></table></section>{_END}"
    )


def audit_reports_html(settings: Settings) -> str:
    """Links to the monthly audit reports (`konektivitas audit month`), newest first."""
    reports = sorted(settings.reports.glob("audit_*.html"), reverse=True)
    if not reports:
        return ""
    links = "".join(f"<li><a href='../{html.escape(p.name)}'>{html.escape(p.stem)}</a></li>"
                    for p in reports)
    return f"<h3>Monthly audit reports</h3><ul id='konektivitas-audit-reports'>{links}</ul>"


def _without_ids(suite: dict[str, Any]) -> dict[str, Any]:
    """GX assigns ids itself; a suite file carries none, so edits never fight over them."""
    return {
        "name": suite["name"],
        "meta": suite.get("meta", {}),
        "expectations": [
            {k: v for k, v in e.items() if k != "id"} for e in suite["expectations"]
        ],
    }
