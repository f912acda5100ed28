"""The selftest scoreboard: every cases module found, a raising or hanging case a failure
with its reason, unavailable cases listed, the total line, and the exit status."""

from __future__ import annotations

import time
from pathlib import Path

from pipelines.cli import main
from pipelines.selftest import runner
from pipelines.selftest.case import Case, Outcome


def _case(name: str, run, **kw) -> Case:
    return Case("hostile", name, f"{name} holds", run, **kw)


def test_discovers_every_module_and_group():
    cases = runner.discover()
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    assert {c.group for c in cases} >= {"hostile", "access"}
    assert all(c.group in (*runner.GROUPS, "import") for c in cases)
    assert len(runner.select(cases, "access")) >= 10
    assert [c.name for c in runner.select(cases, keyword="ZIP-BOMB")] == ["sla-xlsx-zip-bomb"]


def test_the_scoreboard_counts_failures_exceptions_hangs_and_unavailable():
    seen: list[Path] = []

    def ok(scratch: Path) -> Outcome:
        seen.append(scratch)
        assert scratch.is_dir() and not any(scratch.iterdir())
        return Outcome(True, "fine", 0, 0)

    def lossy(_: Path) -> Outcome:
        return Outcome(False, "lost some", rows_lost=3, rows_duplicated=2)

    def boom(_: Path) -> Outcome:
        raise RuntimeError("no such column\nsecond line")

    def hang(_: Path) -> Outcome:
        time.sleep(30)
        return Outcome(True, "woke")

    cases = [_case("a", ok), _case("b", ok), _case("c", lossy), _case("d", boom),
             _case("e", ok, unavailable="needs a second machine")]
    lines: list[str] = []
    board = runner.run_matrix(cases, lines.append)
    assert seen[0] != seen[1] and not seen[0].exists()  # fresh, then removed
    assert lines[-1] == "4 cases, 2 passed, 3 rows lost, 2 duplicated"
    assert board.failed == 2
    assert "FAIL" in lines[3] and "RuntimeError: no such column" in lines[3] and "second" not in lines[3]
    assert "UNAVAILABLE  needs a second machine" in lines[4]
    assert runner.run_case(_case("h", hang), time_limit_s=0.5).detail.startswith(
        "CaseTimedOut: no outcome after")


def test_a_module_that_does_not_import_is_a_failed_case(monkeypatch, tmp_path):
    package = tmp_path / "fakecases"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "good.py").write_text(
        "from pipelines.selftest.case import Case, Outcome\n"
        "CASES = [Case('race', 'x', 'x holds', lambda p: Outcome(True, 'ok'))]\n")
    (package / "broken.py").write_text("raise ImportError('half written')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import fakecases

    monkeypatch.setattr(runner, "cases_package", fakecases)
    found = runner.discover()
    assert [c.name for c in found] == ["broken", "x"]
    assert "ImportError: half written" in runner.run_case(found[0]).detail


def test_the_command_lists_filters_and_exits_non_zero_on_failure(capsys, monkeypatch):
    assert main(["selftest", "--list", "--group", "access"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out and all(line.startswith("access") for line in out)
    monkeypatch.setattr(runner, "discover", lambda: [
        _case("good", lambda p: Outcome(True, "ok")), _case("bad", lambda p: Outcome(False, "no"))])
    assert main(["selftest", "-k", "good"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 cases, 1 passed, 0 rows lost, 0 duplicated"
    assert main(["selftest"]) == 1
    assert main(["selftest", "-k", "nothing-matches"]) == 1
