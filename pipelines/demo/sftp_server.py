"""A small SFTP server on loopback for the demo (asyncssh's server, pure Python): the
NOC's server as the demo plays it, serving a folder, one user with a key made here.
It runs its own event loop in a thread of any process, like the demo partner API."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import asyncssh

USER = "noc"


class DemoSftpServer:
    """`with DemoSftpServer(root, keys) as s:` serves `root` on 127.0.0.1:s.port until the
    block ends; s.uri() is the Airflow Connection that reaches it."""

    def __init__(self, root: Path, keys: Path) -> None:
        self.root, self.keys = root, keys
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncssh.SSHAcceptor | None = None

    @property
    def client_key(self) -> Path:
        return self.keys / "demo_noc_client_key"

    def uri(self) -> str:
        return (f"sftp://{USER}@127.0.0.1:{self.port}?key_file={self.client_key}"
                "&no_host_key_check=true")

    def _keys(self) -> tuple[asyncssh.SSHKey, asyncssh.SSHKey]:
        self.keys.mkdir(parents=True, exist_ok=True)
        host, client = asyncssh.generate_private_key("ssh-ed25519"), \
            asyncssh.generate_private_key("ssh-ed25519")
        client.write_private_key(str(self.client_key))
        self.client_key.chmod(0o600)
        return host, client

    async def _listen(self) -> None:
        host, client = self._keys()
        root = str(self.root)

        def sftp(chan: asyncssh.SSHServerChannel) -> asyncssh.SFTPServer:
            return asyncssh.SFTPServer(chan, chroot=root)

        self._server = await asyncssh.listen(
            "127.0.0.1", 0, server_host_keys=[host],
            authorized_client_keys=asyncssh.import_authorized_keys(
                client.export_public_key().decode()),
            sftp_factory=sftp, allow_scp=False)
        self.port = self._server.sockets[0].getsockname()[1]

    def __enter__(self) -> DemoSftpServer:
        self.root.mkdir(parents=True, exist_ok=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(30)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
            asyncio.run_coroutine_threadsafe(self._server.wait_closed(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
