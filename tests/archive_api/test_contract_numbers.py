"""Contract numbers under concurrency: two departments' sequences, each taken by 20 creations at
once, stay gap-free and unique (PostgreSQL locks the counter row; SQLite serialises writers)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from access.identity import ensure_admin
from archive_api.app import create_app
from archive_api.backends import Backends, connect
from archive_api.config import Settings
from storage.db import unit_of_work
from tests.archive_api.conftest import ADMIN_PASSWORD, USER_PASSWORD, add_user, sign_in
from tests.factories import random_uscc

AT_ONCE = 20  # creations per department, all at once


@pytest.fixture(params=["postgresql", "sqlite"])
def numbered(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backends]:
    """Backends over PostgreSQL or the embedded SQLite, with the first administrator."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    settings = Settings(
        _env_file=None, data_dir=tmp_path / "data", database_url=url, notify_every=3600,
        extract_every=3600,
    )  # fmt: skip
    backends = connect(settings)
    with unit_of_work(backends.sessions) as session:
        ensure_admin(session, ADMIN_PASSWORD)
    yield backends
    backends.close()


def test_two_departments_numbers_under_20_concurrent_creations_are_gap_free_and_unique(
    numbered: Backends,
) -> None:
    app = create_app(numbered)
    admin = TestClient(app)
    sign_in(admin, "admin", ADMIN_PASSWORD)
    customers = {}
    for code, name in (("sales-a", "销售一部"), ("sales-b", "销售二部")):
        department = admin.post("/api/v1/admin/departments", json={"code": code, "name": name})
        add_user(admin, f"keeper-{code}", department.json()["id"], "secret", "credit_manager",
                 "archivist")  # fmt: skip
        keeper = TestClient(app)
        sign_in(keeper, f"keeper-{code}", USER_PASSWORD)
        made = keeper.post("/api/v1/customers", json={"name": f"{name}客户", "uscc": random_uscc()})
        customers[code] = made.json()["id"]
    clients = []
    for code in customers:
        for _ in range(AT_ONCE):
            client = TestClient(app)
            sign_in(client, f"keeper-{code}", USER_PASSWORD)
            clients.append((code, client))
    start = threading.Barrier(len(clients))

    def create(job: tuple[str, TestClient]) -> tuple[str, int, str]:
        code, client = job
        start.wait()
        response = client.post(
            f"/api/v1/customers/{customers[code]}/contracts",
            json={"title": "并发合同", "counterparty": "对方", "status": "signed",
                  "signed_on": "2026-03-01"},
        )  # fmt: skip
        return code, response.status_code, response.json().get("number", response.text)

    with ThreadPoolExecutor(len(clients)) as pool:
        results = list(pool.map(create, clients))
    assert {status for _, status, _ in results} == {201}, results
    for code, prefix in (("sales-a", "XS1"), ("sales-b", "XS2")):
        numbers = sorted(number for made, _, number in results if made == code)
        assert numbers == [f"{prefix}-2026-{serial:04d}" for serial in range(1, AT_ONCE + 1)]
    # The ledger holds exactly those, each once.
    listed = admin.get("/api/v1/contracts", params={"limit": 500}).json()
    assert listed["total"] == 2 * AT_ONCE
    assert len({c["number"] for c in listed["items"]}) == 2 * AT_ONCE
