"""Run the matrix: find every case under pipelines/selftest/cases/, run each in a fresh
temporary directory, and report one line per case and the total.

A case that raises, or outlives its time limit, is a failed case with the one-line reason;
a module of cases that does not import is one failed case naming it. Cases that cannot be
built here are listed with their reason, never silently absent.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.selftest import cases as cases_package
from pipelines.selftest.case import Case, Outcome

GROUPS = ("crash", "race", "hostile", "access")
CASE_TIME_LIMIT_S = 180


class CaseTimedOut(Exception):
    pass


def _broken_module(module: str, exc: BaseException) -> Case:
    def run(_: Path) -> Outcome:
        return Outcome(False, f"cases module {module} does not import: "
                              f"{type(exc).__name__}: {first_line(exc)}")

    return Case("import", module.rsplit(".", 1)[-1], "its cases import", run)


def discover() -> list[Case]:
    """Every module's CASES, modules in name order."""
    found: list[Case] = []
    for info in sorted(pkgutil.iter_modules(cases_package.__path__), key=lambda m: m.name):
        module = f"{cases_package.__name__}.{info.name}"
        try:
            found.extend(importlib.import_module(module).CASES)
        except Exception as exc:  # one broken module must not hide the others
            found.append(_broken_module(module, exc))
    return found


def select(cases: list[Case], group: str | None = None, keyword: str | None = None) -> list[Case]:
    return [c for c in cases
            if (group is None or c.group == group)
            and (keyword is None or keyword.lower() in f"{c.group} {c.name}".lower())]


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0]


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """CaseTimedOut after `seconds` (SIGALRM: the main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise CaseTimedOut(f"no outcome after {seconds:.0f} s: the case hangs")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _log_to(path: Path) -> Iterator[None]:
    """The pipeline's log records (tracebacks of rejected files included) go to the case's
    own file, not the scoreboard."""
    root = logging.getLogger()
    handler = logging.FileHandler(path, encoding="utf-8")
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()


def run_case(case: Case, time_limit_s: float = CASE_TIME_LIMIT_S) -> Outcome:
    """The case's outcome in a fresh temporary directory; anything raised is a failure."""
    with tempfile.TemporaryDirectory(prefix=f"selftest-{case.name}-") as tmp:
        scratch = Path(tmp)
        try:
            with _log_to(scratch.parent / f"{scratch.name}.log"), _time_limit(time_limit_s):
                return case.run(scratch)
        except Exception as exc:
            return Outcome(False, f"{type(exc).__name__}: {first_line(exc)}")
        finally:
            (scratch.parent / f"{scratch.name}.log").unlink(missing_ok=True)


@dataclass
class Scoreboard:
    outcomes: list[tuple[Case, Outcome]] = field(default_factory=list)
    unavailable: list[Case] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(o.passed for _, o in self.outcomes)

    @property
    def failed(self) -> int:
        return len(self.outcomes) - self.passed

    def total(self) -> str:
        lost = sum(o.rows_lost for _, o in self.outcomes)
        dup = sum(o.rows_duplicated for _, o in self.outcomes)
        return f"{len(self.outcomes)} cases, {self.passed} passed, {lost} rows lost, {dup} duplicated"


def case_line(case: Case, outcome: Outcome | None) -> str:
    if outcome is None:
        return f"{case.group:<8} {case.name:<34} UNAVAILABLE  {case.unavailable}"
    mark = "pass" if outcome.passed else "FAIL"
    counts = ""
    if outcome.rows_lost or outcome.rows_duplicated:
        counts = f" [{outcome.rows_lost} lost, {outcome.rows_duplicated} duplicated]"
    return (f"{case.group:<8} {case.name:<34} {mark}  expects: {case.expects}"
            f" | seen: {outcome.detail}{counts}")


def listing_line(case: Case) -> str:
    gone = f"  (unavailable: {case.unavailable})" if case.unavailable else ""
    return f"{case.group:<8} {case.name:<34} {case.expects}{gone}"


def run_matrix(cases: list[Case], emit: Callable[[str], None]) -> Scoreboard:
    """Run every available case, emitting its line as it ends; unavailable ones listed."""
    board = Scoreboard()
    for case in cases:
        if case.unavailable:
            board.unavailable.append(case)
            emit(case_line(case, None))
            continue
        outcome = run_case(case)
        board.outcomes.append((case, outcome))
        emit(case_line(case, outcome))
    if board.unavailable:
        emit(f"{len(board.unavailable)} case(s) unavailable here (listed above), not counted")
    emit(board.total())
    return board
