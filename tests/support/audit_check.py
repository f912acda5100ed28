"""After a DAG run in a test: `audit verify` must pass on the home it left."""

from __future__ import annotations

from pathlib import Path

from pipelines.audit.verify import report_lines, verify
from pipelines.settings import get_settings
from pipelines.warehouse import session


def assert_audit_verifies(home: Path) -> None:
    settings = get_settings(home)
    with session(settings, read_only=True) as con:
        checks = verify(con, settings.home)
    assert all(c.ok for c in checks), "\n".join(report_lines(checks))
