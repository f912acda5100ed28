"""The machine's own PostgreSQL and Redis, as the DuckLake and deployment tests use them."""

from __future__ import annotations

import socket
import subprocess


def psql(sql: str) -> None:
    """Run one statement as postgres on 127.0.0.1:5432 (trust auth)."""
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],
                   check=True, capture_output=True, timeout=30)


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False
