"""Wait for a server-side condition while the processes behind it stay alive."""

from __future__ import annotations

import time
import urllib.error
from collections.abc import Callable

# A server still starting: refused, reset, timed out, or an answer not yet complete.
NOT_YET = (urllib.error.URLError, OSError, ValueError)


def poll_until(what: str, check: Callable[[], object], timeout: float,
               dead: Callable[[], str | None], context: Callable[[], str],
               not_yet: tuple[type[BaseException], ...] = NOT_YET) -> object:
    """`check()`'s first truthy answer, polled every 2 s for at most `timeout` s. Fails at
    once, with `context()`, when `dead()` names a process that exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        gone = dead()
        assert not gone, f"{gone} exited while waiting for {what}\n{context()}"
        try:
            got = check()
            if got:
                return got
        except not_yet:
            pass
        time.sleep(2)
    raise AssertionError(f"timed out waiting for {what}\n{context()}")
