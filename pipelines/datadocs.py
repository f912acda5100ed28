"""Great Expectations' file context for a home: suites from expectations/, results, Data Docs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

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
    return str(settings.data_docs / "index.html")


def _without_ids(suite: dict[str, Any]) -> dict[str, Any]:
    """GX assigns ids itself; a suite file carries none, so edits never fight over them."""
    return {
        "name": suite["name"],
        "meta": suite.get("meta", {}),
        "expectations": [
            {k: v for k, v in e.items() if k != "id"} for e in suite["expectations"]
        ],
    }
