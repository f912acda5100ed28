"""Great Expectations' file context for a home: suites from expectations/, results, Data Docs."""

from __future__ import annotations

import html
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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


def record_validation(
    settings: Settings, suite: dict[str, Any], load_id: str, batch_meta: dict[str, Any],
    outcomes: list[ExpectationOutcome],
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
                    "observed_value": out.unexpected_count if cfg.type.startswith("unexpected")
                    else None,
                },
            )
        )
    ok = sum(r.success for r in results)
    run_id = RunIdentifier(run_name=f"load-{load_id}")
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
    record_run(settings, {
        "suite": gx_suite.name, "load_id": load_id, "success": validation.success,
        "page": pages[-1].relative_to(settings.data_docs).as_posix() if pages else "",
        "evaluated": len(results), "failed": len(results) - ok,
        "file": batch_meta.get("file", ""), "validated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    return str(settings.data_docs / "index.html")


# GX's index draws its list of runs with scripts from CDNs, so offline it shows none.
# The same list is written into the page as plain HTML between these markers.
_START, _END = "<!-- konektivitas-runs -->", "<!-- /konektivitas-runs -->"


def record_run(settings: Settings, entry: dict[str, Any]) -> None:
    """Add a run to the home's run list and write the list into Data Docs' index.html."""
    runs_path = settings.gx_root / "runs.jsonl"
    with runs_path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry) + "\n")
    runs = [json.loads(line) for line in runs_path.read_text(encoding="utf-8").splitlines()]
    index = settings.data_docs / "index.html"
    page = index.read_text(encoding="utf-8")
    if _START in page:
        page = page[: page.index(_START)] + page[page.index(_END) + len(_END):]
    page = page.replace("</body>", static_run_list(settings, runs) + "</body>", 1)
    # The landing zone only: the load being validated holds the warehouse open.
    page = marking.mark_page(page, marking.is_demo(settings, warehouse=False))
    index.write_text(page, encoding="utf-8")


def static_run_list(settings: Settings, runs: list[dict[str, Any]]) -> str:
    rows = []
    for r in sorted(runs, key=lambda r: r["validated_at"], reverse=True):
        link = r["page"]
        status = "passed" if r["success"] else f"failed ({r['failed']} of {r['evaluated']} rules)"
        rows.append(
            f"<tr><td>{html.escape(r['validated_at'])}</td><td>{html.escape(r['suite'])}</td>"
            f"<td>{html.escape(r['file'])}</td><td>{status}</td>"
            f"<td><a href='{html.escape(link)}'>load {html.escape(r['load_id'])}</a></td></tr>"
        )
    return (
        f"{_START}<section id='konektivitas-runs' style='font-family:sans-serif;margin:1em'>"
        "<h2>Every validation run</h2><table border='1' cellpadding='4'>"
        "<tr><th>validated (UTC)</th><th>suite</th><th>file</th><th>result</th><th>page</th></tr>"
        + "".join(rows) + f"</table></section>{_END}"
    )


def _without_ids(suite: dict[str, Any]) -> dict[str, Any]:
    """GX assigns ids itself; a suite file carries none, so edits never fight over them."""
    return {
        "name": suite["name"],
        "meta": suite.get("meta", {}),
        "expectations": [
            {k: v for k, v in e.items() if k != "id"} for e in suite["expectations"]
        ],
    }
