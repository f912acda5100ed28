"""`konektivitas bench pull`: a national-size KPI day fetched from a real OpenSSH sshd on
loopback by our fetcher (pipelines.pull.towers: download, sha256, rename into landing/,
audit) and by OpenSSH's own `sftp` client (batch mode), same file, same server."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from pipelines.demo.sshd import Sshd

DAY = "2026-09-01"
LINE = b"TWR-0001,2026-09-01T00:00:00+08:00,UP,99.5,35.5,0.5,48.25,12,-71,PLN,52.5\n"


def write_day(path: Path, mb: int) -> int:
    """A KPI-shaped file of `mb` MiB (its content does not matter to a transfer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    block, size = LINE * ((1 << 20) // len(LINE)), mb << 20
    with path.open("wb") as fh:
        while fh.tell() < size:
            fh.write(block[: size - fh.tell()])
    return size


def sftp_client(server: Sshd, remote: str, local: Path) -> None:
    subprocess.run(
        ["sftp", "-q", "-b", "-", "-i", str(server.client_key), "-P", str(server.port),
         "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
         "-o", "LogLevel=ERROR", f"{server.user}@127.0.0.1"],
        input=f"get {remote} {local}\n", text=True, check=True, capture_output=True)


def our_fetch(server: Sshd, home: Path) -> Callable[[], None]:
    """One fetch of the day by pipelines.pull.towers into a fresh landing zone each time."""
    import dataclasses

    from airflow.sdk import Connection

    from pipelines.pull import towers
    from pipelines.settings import get_settings
    from pipelines.warehouse import migrate_warehouse, session

    settings = dataclasses.replace(get_settings(home), warehouse_backend="duckdb")
    migrate_warehouse(settings)
    conn = Connection.from_uri(server.uri(), conn_id="noc_sftp")

    def fetch() -> None:
        with session(settings) as con:
            con.execute("DELETE FROM audit.remote_fetch")  # each run fetches anew
            report = towers.poke(con, settings, conn)
        if report.of("fetched") != [f"kpi/{DAY}.csv"]:
            raise RuntimeError(f"the fetch did not take the file: {report.describe()}")
    return fetch


def timed(run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def run(workdir: Path, mb: int, repeat: int = 1) -> dict[str, list[float]]:
    remote = workdir / "remote"
    size = write_day(remote / "kpi" / f"{DAY}.csv", mb)
    (remote / "kpi" / f"{DAY}.csv.done").write_text("")
    times: dict[str, list[float]] = {"fetch": [], "sftp client": []}
    with Sshd(workdir / "sshd", remote) as server:
        fetch = our_fetch(server, workdir / "home")
        local = workdir / "sftp-client.csv"
        for _ in range(repeat):  # interleaved, so both see the same machine load
            times["fetch"].append(timed(fetch))
            times["sftp client"].append(timed(lambda: sftp_client(server, f"kpi/{DAY}.csv", local)))
            if local.stat().st_size != size:
                raise RuntimeError(f"sftp client fetched {local.stat().st_size} of {size} bytes")
            local.unlink()
    return times


def report(mb: int, times: dict[str, list[float]]) -> str:
    best = {k: min(v) for k, v in times.items()}
    lines = [f"{mb} MiB KPI day from OpenSSH sshd on loopback, best of {len(times['fetch'])}:"]
    lines += [f"  {k:<12} {t:7.2f} s  {mb / t:7.1f} MiB/s" for k, t in best.items()]
    lines.append(f"fetch / sftp client: {best['fetch'] / best['sftp client']:.2f}x")
    return "\n".join(lines)
