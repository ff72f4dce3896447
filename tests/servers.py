"""Real servers for the tests, started on 127.0.0.1 on free ports and stopped afterwards."""

from __future__ import annotations

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
from pathlib import Path

import hvac
import sqlalchemy as sa
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


@contextmanager
def _running(
    argv: list[str], log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def seaweedfs(data_dir: Path) -> Iterator[S3Server]:
    """`weed mini` with S3 on loopback, every one of its ports chosen free."""
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
        *(f"-{name}={port}" for name, port in ports.items()),
    ]  # fmt: skip
    endpoint = f"127.0.0.1:{ports['s3.port']}"
    client = Minio(endpoint=endpoint, access_key=access_key, secret_key=secret_key, secure=False)
    probe = f"ready-{secrets.token_hex(4)}"

    def ready() -> bool:
        # A bucket can be made and dropped once the volume server has joined.
        client.make_bucket(bucket_name=probe)
        client.remove_bucket(bucket_name=probe)
        return True

    try:
        with _running(argv, data_dir / "weed.log") as process:
            _wait(ready, process, data_dir / "weed.log", "SeaweedFS")
            yield S3Server(endpoint, access_key, secret_key, data_dir, process.pid)
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
    with _running(argv, work_dir / "bao.log", env) as process:
        _wait(client.is_authenticated, process, work_dir / "bao.log", "OpenBao")
        client.sys.enable_secrets_engine(backend_type="transit", path="transit")
        # Dangan gets a token with the deployment's least-privilege policy, never the root.
        client.sys.create_or_update_policy(name="dangan", policy=POLICY.read_text())
        limited = client.auth.token.create(policies=["dangan"], ttl="24h")["auth"]["client_token"]
        yield KmsServer(url, limited, token)


def postgres_server() -> str:
    """The PostgreSQL the tests use: DANGAN_TEST_DATABASE_URL, else the local server."""
    return os.environ.get("DANGAN_TEST_DATABASE_URL", DEFAULT_POSTGRES)


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server at `server_url`, dropped afterwards."""
    name = f"dangan_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
