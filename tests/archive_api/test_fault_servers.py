"""Real servers stopped before, during and after an upload and a read (production deployment).

Each test has its own database on the shared PostgreSQL (taken away by refusing and cutting its
connections), and the module its own SeaweedFS and OpenBao, stopped and started again on the
same ports and data. After every fault: a 503 with Retry-After naming the service, the next
request works with no manual step, and the fixity check finds every row with its object and
every object with its row, every committed document reading back byte-exact.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import hvac
import pytest
import sqlalchemy as sa
import uvicorn

from access.identity import ensure_admin
from archive_api.ahead import DEPTH
from archive_api.app import create_app
from archive_api.backends import connect
from storage.db import unit_of_work
from storage.keycache import CachingKeyProvider
from storage.s3store import PART_SIZE
from tests.archive_api.conftest import ADMIN_PASSWORD, USER_PASSWORD, production_settings
from tests.archive_api.faultrig import Rig, consistent, interrupted, reads, refused, token
from tests.factories import fake_file, random_uscc, sample_pdf
from tests.servers import (
    KmsServer,
    S3Server,
    Server,
    free_port,
    restartable_openbao,
)


@pytest.fixture(scope="module")
def own_kms(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[KmsServer, Server, hvac.Client]]:
    """An OpenBao of this module's own, with Raft storage so a restart keeps the keys."""
    with restartable_openbao(tmp_path_factory.mktemp("own-openbao")) as found:
        yield found


@pytest.fixture
def rig(
    tmp_path: Path,
    postgres_url: str,
    own_s3: tuple[S3Server, Server],
    own_kms: tuple[KmsServer, Server, hvac.Client],
) -> Iterator[Rig]:
    """A fresh archive over the module's servers, served by uvicorn on a free port."""
    for server in (own_s3[1], own_kms[1]):
        if not server.running:  # a failed test may have left it stopped
            server.start()
    settings = production_settings(tmp_path / "data", postgres_url, own_s3[0], own_kms[0])
    # Room for a download larger than the connections can hold in flight (below).
    settings = settings.model_copy(update={"max_upload_bytes": 256 << 20})
    backends = connect(settings)
    with unit_of_work(backends.sessions) as session:
        ensure_admin(session, ADMIN_PASSWORD)
    port = free_port()
    config = uvicorn.Config(create_app(backends), host="127.0.0.1", port=port, log_level="error")
    serving = uvicorn.Server(config)
    thread = threading.Thread(target=serving.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not serving.started and time.monotonic() < deadline:
        time.sleep(0.05)
    # Timeouts of a few seconds: a hanging request fails the test instead of holding the machine.
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=20)
    http.headers.update(token(http, "admin", ADMIN_PASSWORD))
    department = http.post(
        "/api/v1/admin/departments", json={"code": "sales-a", "name": "销售一部"}
    ).json()["id"]
    user = {"username": "keeper", "display_name": "档案员", "password": USER_PASSWORD}
    user_id = http.post("/api/v1/admin/users", json={**user, "department_id": department}).json()
    grant = {"user_id": user_id["id"], "role": "archivist", "department_id": department}
    assert http.post("/api/v1/admin/roles", json=grant).status_code == 201
    http.headers.update(token(http, "keeper", USER_PASSWORD))
    database = sa.make_url(postgres_url).database or ""
    found = Rig(http, backends, own_s3[1], own_kms[1], own_kms[2], database)
    customer = http.post(
        "/api/v1/customers", json={"name": "贵州测试有限公司", "uscc": random_uscc()}
    )
    found.customer = customer.json()["id"]
    try:
        yield found
    finally:
        found.database_away(False)
        for server in (found.s3, found.kms):
            if not server.running:
                server.start()
        serving.should_exit = True
        thread.join(timeout=30)
        http.close()


@pytest.mark.parametrize("service", ["object store", "key service", "sealed key service"])
def test_a_stopped_service_refuses_then_recovers_by_itself(rig: Rig, service: str) -> None:
    first = rig.upload(sample_pdf())
    assert first.status_code == 201, first.text
    document = first.json()["id"]
    server = rig.s3 if service == "object store" else rig.kms
    stop: Callable[[], None] = server.stop
    start: Callable[[], None] = server.start
    if service == "sealed key service":
        stop, start = rig.kms_root.sys.seal, server.started  # started: unseals
    stop()
    if isinstance(rig.backends.keys, CachingKeyProvider):
        # The key wrapped for the upload, and the customer's batch key, are held in memory
        # within their bounds and would still serve (tests/storage/test_keycache.py,
        # test_batchkeys.py); once forgotten, the key service's absence must refuse.
        rig.backends.keys.clear()
    name = "the object store" if service == "object store" else "the key service"
    refused(rig.upload(fake_file("pdf", 30_000)), name)
    content, page = reads(rig, document)
    refused(content, name)
    refused(page, name)
    start()
    second = rig.upload(fake_file("pdf", 30_000))  # the very next request: no manual step
    assert second.status_code == 201, second.text
    content, page = reads(rig, document)
    assert content.status_code == page.status_code == 200
    assert page.headers["content-type"] == "image/webp"
    consistent(rig)


def test_the_database_going_away_refuses_then_recovers_by_itself(rig: Rig) -> None:
    first = rig.upload(sample_pdf())
    assert first.status_code == 201, first.text
    document = first.json()["id"]
    objects = {info.key for info in rig.backends.store.list("docs/")}
    rig.database_away(True)
    refused(rig.upload(fake_file("pdf", 30_000)), "the database")
    content, page = reads(rig, document)
    refused(content, "the database")
    refused(page, "the database")
    assert {info.key for info in rig.backends.store.list("docs/")} == objects
    rig.database_away(False)
    second = rig.upload(fake_file("pdf", 30_000))  # the pool replaces its dead connections
    assert second.status_code == 201, second.text
    content, page = reads(rig, document)
    assert content.status_code == page.status_code == 200
    consistent(rig)


@pytest.mark.parametrize("service", ["the object store", "the database"])
def test_a_service_lost_mid_upload_stores_nothing(rig: Rig, service: str) -> None:
    kept = rig.upload(fake_file("pdf", 50_000))
    assert kept.status_code == 201, kept.text
    data = fake_file("pdf", 2 * PART_SIZE + 12345)
    if service == "the object store":
        fault: Callable[[], None] = rig.s3.stop
    else:
        fault = lambda: rig.database_away(True)  # noqa: E731
    refused(interrupted(rig, data, fault), service)
    if service == "the object store":
        rig.s3.start()
    else:
        rig.database_away(False)
    report = consistent(rig)  # an aborted multipart upload left behind is cleaned up
    assert report.healthy
    retried = rig.upload(data)  # nothing half-stored stands in the way of the retry
    assert retried.status_code == 201, retried.text
    consistent(rig)


def _in_flight_at_most() -> int:
    """Bytes two loopback connections can hold in flight at once: Linux grows a socket's buffers
    up to tcp_rmem's and tcp_wmem's largest (32 MiB and 4 MiB here), and the server reads ahead."""
    largest = [int(Path(f"/proc/sys/net/ipv4/{b}").read_text().split()[2]) for b in TCP_BUFFERS]
    return 2 * sum(largest) + DEPTH * (1 << 20)


TCP_BUFFERS = ("tcp_rmem", "tcp_wmem")


def test_the_object_store_lost_mid_download_aborts_the_connection(rig: Rig) -> None:
    # Larger than the store-to-server and server-to-client connections hold in their buffers:
    # otherwise a loaded machine may have the whole file in flight before the store stops.
    data = os.urandom(1024) + fake_file("pdf", _in_flight_at_most() + (8 << 20))
    data = b"%PDF-1.7\n" + data[9:]
    created = rig.upload(data)
    assert created.status_code == 201, created.text
    document = created.json()["id"]
    received = 0

    def download() -> None:
        nonlocal received
        with rig.http.stream("GET", f"/api/v1/documents/{document}/content") as response:
            assert response.status_code == 200
            for chunk in response.iter_bytes():
                if received == 0:
                    rig.s3.stop()
                received += len(chunk)

    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        download()  # the connection is aborted: the client cannot take it for a whole file
    assert received < len(data)  # a truncated body, never taken for a whole one
    rig.s3.start()
    consistent(rig)


def test_the_key_service_lost_mid_transfer_is_not_needed_to_finish(rig: Rig) -> None:
    # The data key is wrapped before the first byte is stored and unwrapped before the first
    # byte is sent, so neither transfer needs the key service once under way.
    data = fake_file("pdf", 2 * PART_SIZE + 999)
    created = interrupted(rig, data, rig.kms.stop)
    assert created.status_code == 201, created.text
    rig.kept[created.json()["id"]] = data
    rig.kms.start()
    received = b""
    with rig.http.stream("GET", f"/api/v1/documents/{created.json()['id']}/content") as response:
        for chunk in response.iter_bytes():
            if not received:
                rig.kms.stop()
            received += chunk
    assert received == data
    rig.kms.start()
    consistent(rig)
