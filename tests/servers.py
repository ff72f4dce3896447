"""Real servers for the tests, started on 127.0.0.1 on free ports and stopped afterwards."""

from __future__ import annotations

import io
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import hvac
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from minio import Minio

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BIN = Path(sys.executable).parent
POLICY = Path(__file__).parents[1] / "deploy" / "openbao-policy.hcl"


@dataclass(frozen=True)
class S3Server:
    """A running SeaweedFS S3 gateway."""

    endpoint: str
    access_key: str
    secret_key: str
    data_dir: Path
    pid: int  # of `weed`, for the benchmarks' CPU accounting


@dataclass(frozen=True)
class KmsServer:
    """A running OpenBao dev server, Transit at `transit`, and a token under Dangan's policy."""

    url: str
    token: str
    root_token: str  # for operator tasks the tests do, such as backing up Transit keys
    pid: int  # of `bao`, for the benchmarks' CPU accounting


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _binary(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} is not installed; run scripts/test to install the test tools")
    return path


def _wait(
    ready: Callable[[], bool], process: subprocess.Popen[bytes], log: Path, what: str
) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited early:\n{log.read_text(errors='replace')[-3000:]}")
        with suppress(Exception):
            if ready():
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start in 60 s:\n{log.read_text(errors='replace')[-3000:]}")


@dataclass
class Server:
    """A server process a test can stop and start again, on the same ports and the same data."""

    argv: list[str]
    log: Path
    ready: Callable[[], bool]
    what: str
    env: dict[str, str] | None = None
    started: Callable[[], None] = lambda: None  # what a (re)start needs once it answers
    process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        """True between start and stop."""
        return self.process is not None

    def start(self) -> None:
        """Start the process and wait until it answers."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.argv, stdout=out, stderr=subprocess.STDOUT, env=self.env
            )
        _wait(self.ready, self.process, self.log, self.what)
        self.started()

    def stop(self) -> None:
        """Stop the process as an operator or a crash would (SIGTERM, then SIGKILL)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextmanager
def _running(server: Server) -> Iterator[Server]:
    server.log.unlink(missing_ok=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def seaweedfs(data_dir: Path) -> Iterator[S3Server]:
    """`weed mini` with S3 on loopback, every one of its ports chosen free."""
    with restartable_seaweedfs(data_dir) as (server, _):
        yield server


@contextmanager
def restartable_seaweedfs(data_dir: Path) -> Iterator[tuple[S3Server, Server]]:
    """`weed mini` as `seaweedfs`, and its process, to stop and start again."""
    data_dir.mkdir(parents=True, exist_ok=True)
    access_key, secret_key = secrets.token_hex(10), secrets.token_hex(20)
    identities = {
        "identities": [
            {
                "name": "dangan",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    config = data_dir / "s3.json"
    config.write_text(json.dumps(identities))
    ports = {
        name: free_port()
        for name in (
            "master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
            "filer.port", "filer.port.grpc", "s3.port", "s3.port.grpc", "admin.port",
            "admin.port.grpc",
        )
    }  # fmt: skip
    argv = [
        _binary("weed"), "mini", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-dir={data_dir}", f"-s3.config={config}", "-webdav=false", "-admin.ui=false",
        "-master.telemetry=false", "-s3.iam=false",
        # Off: their listeners take fixed default ports, which a second SeaweedFS on the
        # machine (another test process, a restart in a fault test) finds taken and dies of.
        "-s3.port.iceberg=0", "-s3.port.lance=0",
        # Every test bucket is a collection with volumes of its own: small volumes, and many
        # allowed, so a whole suite's buckets fit (by default the count is worked out from the
        # disk, and a long run ends with "no writable volumes").
        "-master.volumeSizeLimitMB=64", "-volume.max=2000",
        *(f"-{name}={port}" for name, port in ports.items()),
    ]  # fmt: skip
    endpoint = f"127.0.0.1:{ports['s3.port']}"
    client = Minio(endpoint=endpoint, access_key=access_key, secret_key=secret_key, secure=False)
    probe = f"ready-{secrets.token_hex(4)}"

    def ready() -> bool:
        # An object can be written and read back once the volume server has joined (after a
        # restart, buckets answer before the volumes that hold the objects do).
        client.make_bucket(bucket_name=probe)
        client.put_object(bucket_name=probe, object_name="probe", data=io.BytesIO(b"p"), length=1)
        client.get_object(bucket_name=probe, object_name="probe").read()
        client.remove_object(bucket_name=probe, object_name="probe")
        client.remove_bucket(bucket_name=probe)
        return True

    try:
        with _running(Server(argv, data_dir / "weed.log", ready, "SeaweedFS")) as server:
            assert server.process is not None
            pid = server.process.pid
            yield S3Server(endpoint, access_key, secret_key, data_dir, pid), server
    finally:
        # weed leaves its local sockets in /tmp, named by port; stop what we started, wholly.
        for port in ports.values():
            for socket_file in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                socket_file.unlink(missing_ok=True)


@contextmanager
def openbao(work_dir: Path) -> Iterator[KmsServer]:
    """`bao server -dev` on loopback with Transit mounted."""
    work_dir.mkdir(parents=True, exist_ok=True)
    token, port = f"root-{secrets.token_hex(8)}", free_port()
    argv = [
        _binary("bao"), "server", "-dev", f"-dev-root-token-id={token}",
        f"-dev-listen-address=127.0.0.1:{port}", "-dev-no-store-token",
    ]  # fmt: skip
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(work_dir)}
    url = f"http://127.0.0.1:{port}"
    client = hvac.Client(url=url, token=token)
    with _running(
        Server(argv, work_dir / "bao.log", client.is_authenticated, "OpenBao", env)
    ) as server:
        assert server.process is not None
        yield KmsServer(url, _for_dangan(client), token, server.process.pid)


def _for_dangan(client: hvac.Client) -> str:
    """Mount Transit; a token with the deployment's least-privilege policy, never the root."""
    client.sys.enable_secrets_engine(backend_type="transit", path="transit")
    client.sys.create_or_update_policy(name="dangan", policy=POLICY.read_text())
    token: str = client.auth.token.create(policies=["dangan"], ttl="24h")["auth"]["client_token"]
    return token


@contextmanager
def restartable_openbao(work_dir: Path) -> Iterator[tuple[KmsServer, Server, hvac.Client]]:
    """`bao server` with Raft storage (a dev server forgets all on stop), unsealed at each start.

    Also yields a root client, to seal it as an operator would.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = work_dir / "bao.hcl"
    (work_dir / "raft").mkdir(exist_ok=True)
    config.write_text(
        f'storage "raft" {{ path = "{work_dir / "raft"}"\nnode_id = "dangan-test" }}\n'
        f'listener "tcp" {{ address = "127.0.0.1:{port}" tls_disable = true }}\n'
        f'api_addr = "{url}"\ncluster_addr = "http://127.0.0.1:{free_port()}"\n'
    )
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(work_dir)}
    client = hvac.Client(url=url)
    unseal_keys: list[str] = []

    def unseal() -> None:
        if not unseal_keys:
            found = client.sys.initialize(secret_shares=1, secret_threshold=1)  # type: ignore[no-untyped-call]
            unseal_keys.extend(found["keys"])
            client.token = found["root_token"]
        client.sys.submit_unseal_keys(unseal_keys)
        _until(active, "OpenBao to unseal and lead its Raft cluster")

    def active() -> bool:
        # 200 only once unsealed and the active node (the leader of its one-node Raft cluster).
        return httpx.get(f"{url}/v1/sys/health", timeout=5).status_code == 200

    def answers() -> bool:
        client.sys.is_initialized()  # type: ignore[no-untyped-call]  # answers when sealed, too
        return True

    argv = [_binary("bao"), "server", f"-config={config}"]
    server = Server(argv, work_dir / "bao.log", answers, "OpenBao", env)
    server.started = unseal
    with _running(server):
        assert server.process is not None
        pid = server.process.pid  # a restart makes another process; benchmarks use openbao()
        yield KmsServer(url, _for_dangan(client), str(client.token), pid), server, client


def _until(ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with suppress(Exception):
            if ready():
                return
        time.sleep(0.2)
    raise RuntimeError(f"waited 30 s for {what}")


def postgres_server() -> str:
    """The PostgreSQL the tests use: DANGAN_TEST_DATABASE_URL, else the local server."""
    return os.environ.get("DANGAN_TEST_DATABASE_URL", DEFAULT_POSTGRES)


@contextmanager
def postgres_database(server_url: str, template: str | None = None) -> Iterator[str]:
    """A new database on the server at `server_url`, empty or a copy of the database
    `template` (which nobody may be connected to), dropped afterwards."""
    name = f"dangan_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    copied = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"{copied}'))
    try:
        yield sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def smtp_server() -> Iterator[tuple[int, list[Message]]]:
    """A real SMTP server on loopback: its port, and the messages it received so far."""
    received: list[Message] = []

    class Inbox:
        async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
            received.append(message_from_bytes(envelope.content))
            return "250 OK"

    port = free_port()
    smtp = Controller(Inbox(), hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        yield port, received
    finally:
        smtp.stop()
