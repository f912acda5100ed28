"""A real OpenSSH sshd on loopback, for the tests and `konektivitas bench pull`: a
throwaway host key and client key, SFTP rooted in a folder, stopped by its process id.

sshd serves each connection from a child process of its own (which leaves the listener's
process group), so stopping it ends the listener and every child it forked, each by pid:
that is what cuts a transfer in progress.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SSHD = "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def keygen(path: Path) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (from /proc), children first."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


@dataclass
class Sshd:
    """`with Sshd(workdir, root) as sshd:` an sshd on 127.0.0.1:sshd.port whose SFTP
    starts in `root`, for user sshd.user with the private key sshd.client_key."""

    workdir: Path
    root: Path
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def user(self) -> str:
        import getpass

        return getpass.getuser()

    @property
    def client_key(self) -> Path:
        return self.workdir / "client_key"

    def uri(self) -> str:
        """The Airflow Connection of this server, in URI form."""
        return f"sftp://{self.user}@127.0.0.1:{self.port}?key_file={self.client_key}&no_host_key_check=true"

    def start(self) -> Sshd:
        if not Path(SSHD).exists():
            raise FileNotFoundError(f"{SSHD} not found: install Debian's openssh-server")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.root.mkdir(parents=True, exist_ok=True)
        for key in ("host_key", "client_key"):
            if not (self.workdir / key).exists():
                keygen(self.workdir / key)
        shutil.copy(self.workdir / "client_key.pub", self.workdir / "authorized_keys")
        Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # sshd's privilege separation
        self.port = self.port or free_port()
        config = self.workdir / "sshd_config"
        config.write_text("\n".join([
            f"Port {self.port}", "ListenAddress 127.0.0.1",
            f"HostKey {self.workdir / 'host_key'}",
            f"AuthorizedKeysFile {self.workdir / 'authorized_keys'}",
            f"PidFile {self.workdir / 'sshd.pid'}",
            "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
            "PermitRootLogin prohibit-password", "StrictModes no",
            f"Subsystem sftp internal-sftp -d {self.root}", "LogLevel ERROR", "",
        ]))
        log = (self.workdir / "sshd.log").open("ab")
        self.process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)],
                                        stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd exited: {(self.workdir / 'sshd.log').read_text()[-2000:]}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"sshd did not listen on 127.0.0.1:{self.port} within 10 s")

    def stop(self) -> None:
        """The listener and every connection it serves, each by its pid."""
        if self.process is None:
            return
        for pid in [self.process.pid, *descendants(self.process.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> Sshd:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
