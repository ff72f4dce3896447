"""An app over real backends: the embedded default and the production servers."""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from access.identity import ensure_admin
from archive_api.app import create_app
from archive_api.backends import Backends, connect
from archive_api.config import Settings
from archive_api.extractor import Extractor
from storage import schema
from storage.db import make_engine, unit_of_work
from storage.models import AuditEvent, AuditPending
from tests.servers import (
    KmsServer,
    S3Server,
    Server,
    postgres_database,
    postgres_server,
    restartable_seaweedfs,
)

ADMIN_PASSWORD = "correct horse battery staple"
USER_PASSWORD = "another long passphrase"


def embedded_settings(data_dir: Path) -> Settings:
    """Nothing configured: SQLite, local directory store, local keyring."""
    return Settings(
        _env_file=None,
        data_dir=data_dir,
        max_upload_bytes=64 * 1024 * 1024,
        extract_every=3600,  # tests run the extraction worker's rounds themselves
        notify_every=3600,  # and the postman's, on their own clock (deadlines, overdue loans)
    )


def production_settings(data_dir: Path, db_url: str, s3: S3Server, kms: KmsServer) -> Settings:
    """PostgreSQL, SeaweedFS and OpenBao, each switched on by its own settings."""
    return Settings(
        _env_file=None,
        data_dir=data_dir,
        max_upload_bytes=64 * 1024 * 1024,
        extract_every=3600,
        notify_every=3600,
        database_url=db_url,
        s3_endpoint=s3.endpoint,
        s3_access_key=s3.access_key,
        s3_secret_key=s3.secret_key,
        s3_bucket=f"test-{secrets.token_hex(4)}",
        s3_secure=False,
        kms_url=kms.url,
        kms_token=kms.token,
    )


def cli_environment(settings: Settings) -> dict[str, str]:
    """The `DANGAN_*` variables that make `dangan` open the same backends as `settings`."""
    names = (
        "database_url", "s3_endpoint", "s3_access_key", "s3_secret_key", "s3_bucket",
        "s3_secure", "kms_url", "kms_token", "max_upload_bytes",
    )  # fmt: skip
    # The code under test, where it is not the installed one (a worktree's PYTHONPATH).
    env = {"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}
    for name in names:
        value = getattr(settings, name)
        if value is not None:
            shown = value.get_secret_value() if isinstance(value, SecretStr) else value
            env[f"DANGAN_{name.upper()}"] = (
                str(shown).lower() if isinstance(shown, bool) else str(shown)
            )
    return env


@pytest.fixture(scope="module")
def own_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[S3Server, Server]]:
    """A SeaweedFS of the test module's own, for tests that stop it (the shared one stays up)."""
    with restartable_seaweedfs(tmp_path_factory.mktemp("own-seaweedfs")) as found:
        yield found


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once; each embedded test's database starts as a copy of it."""
    path = tmp_path_factory.mktemp("schema") / "dangan.db"
    engine = make_engine(f"sqlite:///{path}")
    schema.migrate(engine)
    with engine.connect() as connection:  # everything into the one file that is copied
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[str]:
    """A PostgreSQL database migrated once, the template of each production test's database.

    Running the migrations costs a test about a second; copying a database, a tenth of that.
    The migrations themselves are tested on empty databases (tests/storage/test_migrations.py).
    """
    with postgres_database(postgres_server()) as url:
        engine = make_engine(url)
        schema.migrate(engine)
        engine.dispose()  # a template takes no connections while it is copied
        yield str(sa.make_url(url).database)


@pytest.fixture(params=["embedded", "production"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings for one of the two deployments, the database migrated to the head."""
    data = tmp_path / "data"
    if request.param == "embedded":
        data.mkdir(mode=0o700)
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), data / "dangan.db")
        yield embedded_settings(data)
        return
    template = request.getfixturevalue("migrated_postgres")
    with postgres_database(postgres_server(), template) as url:
        yield production_settings(
            data, url, request.getfixturevalue("s3_server"), request.getfixturevalue("kms_server")
        )


@pytest.fixture
def backends(settings: Settings) -> Iterator[Backends]:
    """Connected, migrated backends with the first administrator."""
    found = connect(settings)
    with unit_of_work(found.sessions) as session:
        ensure_admin(session, ADMIN_PASSWORD)
    yield found
    found.close()


def sign_in(client: httpx.Client, username: str, password: str) -> None:
    """Make every later request of `client` carry a fresh bearer token of the user."""
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"


def add_user(
    admin: httpx.Client,
    username: str,
    department: str | None,
    clearance: str,
    *roles: str,
    company_wide: bool = False,
    display_name: str | None = None,
) -> str:
    """Create a user in `department` with roles held there (or company-wide); returns the id."""
    response = admin.post(
        "/api/v1/admin/users",
        json={
            "username": username,
            "display_name": display_name or username,
            "password": USER_PASSWORD,
            "department_id": department,
            "clearance": clearance,
        },
    )
    assert response.status_code == 201, response.text
    user_id = str(response.json()["id"])
    for role in roles:
        grant: dict[str, str | None] = {
            "user_id": user_id,
            "role": role,
            "department_id": department,
        }
        if company_wide:
            grant["department_id"] = None
        assert admin.post("/api/v1/admin/roles", json=grant).status_code == 201
    return user_id


@dataclass
class Api:
    """A client signed in as an archivist of department `department`, and one as the admin."""

    client: TestClient
    admin: TestClient
    backends: Backends
    department: str

    def upload(self, customer_id: str, content: bytes, **fields: str) -> dict[str, object]:
        """Upload a document and return the created document, failing on anything but 201."""
        response = self.client.post(
            f"/api/v1/customers/{customer_id}/documents",
            data={"doc_type": "business_license", "title": "营业执照", **fields},
            files={"file": (fields.get("filename", "scan.pdf"), content, "application/pdf")},
        )
        assert response.status_code == 201, response.text
        body: dict[str, object] = response.json()
        return body

    def archivist_elsewhere(self) -> tuple[str, TestClient]:
        """A second department, Sales B, and a signed-in `secret` archivist of it."""
        department = self.admin.post(
            "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部 Sales B"}
        ).json()["id"]
        add_user(self.admin, "archivist-b", department, "secret", "archivist")
        keeper = TestClient(self.client.app)
        sign_in(keeper, "archivist-b", USER_PASSWORD)
        return str(department), keeper

    def customer(self, name: str = "贵州测试有限公司") -> str:
        """Create a customer with a fresh valid code and return its id."""
        from tests.factories import random_uscc

        response = self.client.post("/api/v1/customers", json={"name": name, "uscc": random_uscc()})
        assert response.status_code == 201, response.text
        return str(response.json()["id"])


@pytest.fixture
def api(backends: Backends) -> Iterator[Api]:
    """An archivist with `secret` clearance in a fresh department, and the administrator."""
    app = create_app(backends)
    with TestClient(app) as admin, TestClient(app) as client:
        sign_in(admin, "admin", ADMIN_PASSWORD)
        department = admin.post(
            "/api/v1/admin/departments", json={"code": "sales-a", "name": "销售一部 Sales A"}
        ).json()["id"]
        add_user(admin, "archivist", department, "secret", "archivist")
        sign_in(client, "archivist", USER_PASSWORD)
        yield Api(client, admin, backends, department)


class Cast:
    """A department's people, each with a signed-in client."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.clients: dict[str, TestClient] = {"archivist": api.client}
        self.ids: dict[str, str] = {}

    def add(self, name: str, role: str, clearance: str = "secret", **kw: Any) -> TestClient:
        department = None if kw.get("company_wide") else self.api.department
        self.ids[name] = add_user(self.api.admin, name, department, clearance, role, **kw)
        client = TestClient(self.api.client.app)
        sign_in(client, name, USER_PASSWORD)
        self.clients[name] = client
        return client

    def __getitem__(self, name: str) -> TestClient:
        return self.clients[name]


@pytest.fixture
def cast(api: Api) -> Cast:
    """A sales manager, a salesperson, a department head, the marketing director, an auditor."""
    people = Cast(api)
    people.add("manager", "sales_manager", "confidential")
    people.add("seller", "sales")
    people.add("head", "dept_head")
    people.add("director", "marketing_director", company_wide=True)
    people.add("auditor", "auditor", company_wide=True)
    return people


def ask(client: TestClient, document: str, customer: str, **fields: Any) -> Any:
    """Ask to borrow one document (to view for 4 hours, unless `fields` say otherwise)."""
    body = {
        "customer_id": customer,
        "document_ids": [document],
        "purpose": "核对营业执照 check the license",
        "mode": "view",
        "hours": 4,
        **fields,
    }
    return client.post("/api/v1/borrowings", json=body)


def later(api: Api, hours: float) -> None:
    """Move the archive's clock: every grant and due time is judged by it."""
    offset = timedelta(hours=hours)

    def clock() -> datetime:
        return datetime.now(UTC) + offset

    api.backends.clock = clock


WELL_FORMED_ID = "00000000-0000-0000-0000-000000000000"


def every_operation(client: TestClient) -> list[tuple[str, str]]:
    """Every operation the app serves (from its OpenAPI, however routers are mounted), each id in
    its path given a well-formed value of its type, so the route itself answers."""
    paths = client.get("/openapi.json").json()["paths"]
    found = []
    for path, operations in paths.items():
        for method, operation in operations.items():
            url = path
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    kind = parameter["schema"].get("type")
                    value = "1" if kind == "integer" else WELL_FORMED_ID
                    url = url.replace("{" + parameter["name"] + "}", value)
            assert "{" not in url, path
            found.append((method.upper(), url))
    return found


def extract_all(api: Api) -> int:
    """Run the extraction worker until no job waits; returns how many it took."""
    return sum(1 for _ in iter(Extractor(api.backends).run_once, False))


def audit_events(backends: Backends) -> list[dict[str, Any]]:
    """Every audit event recorded so far, chained or still waiting for the sequencer, once.

    The sequencer may chain an event between the two reads (each its own snapshot): it is then
    read in both, and counted once by its id.
    """
    with unit_of_work(backends.sessions) as session:
        bodies = [json.loads(b) for b in session.scalars(select(AuditPending.body))]
        bodies += [json.loads(b) for b in session.scalars(select(AuditEvent.body))]
    return list({body["id"]: body for body in bodies}.values())
