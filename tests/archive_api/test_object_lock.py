"""Production under S3 Object Lock: every stored version is locked for the configured days, a
refused upload still leaves the archive consistent, and a disposal records when the store lets
the object go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from minio import Minio
from sqlalchemy import func, select

from archive_api.config import Settings
from storage.db import unit_of_work
from storage.envelope import wrap_context
from storage.errors import IntegrityError
from storage.keys import key_provider
from storage.models import DocumentVersion
from tests.archive_api.conftest import (
    USER_PASSWORD,
    Api,
    add_user,
    production_settings,
    sign_in,
)
from tests.factories import fake_file
from tests.servers import KmsServer, S3Server


@pytest.fixture
def settings(
    tmp_path: Path, postgres_url: str, s3_server: S3Server, kms_server: KmsServer
) -> Settings:
    """The production deployment with compliance-mode Object Lock for 90 days."""
    found = production_settings(tmp_path / "data", postgres_url, s3_server, kms_server)
    return found.model_copy(update={"s3_object_lock": "compliance", "s3_object_lock_days": 90})


def test_every_stored_version_is_locked_and_a_refused_upload_stores_no_row(
    api: Api, s3_server: S3Server
) -> None:
    settings = api.backends.settings
    raw = Minio(
        endpoint=s3_server.endpoint,
        access_key=s3_server.access_key,
        secret_key=s3_server.secret_key,
        secure=False,
    )
    customer = api.customer()
    content = fake_file("pdf", 4000)
    document = api.upload(customer, content, doc_type="contract", title="合同")

    with unit_of_work(api.backends.sessions) as session:
        key = session.scalars(select(DocumentVersion.object_key)).one()
    retention = raw.get_object_retention(bucket_name=settings.s3_bucket, object_name=key)
    assert retention is not None
    assert retention.mode == "COMPLIANCE"
    assert retention.retain_until_date is not None
    expected = datetime.now(UTC) + timedelta(days=90)
    assert abs(retention.retain_until_date - expected) < timedelta(minutes=5)

    # The same bytes again are refused; its object cannot be removed under the lock, only
    # hidden, and no row names it.
    again = api.client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "contract", "title": "合同"},
        files={"file": ("again.pdf", content, "application/pdf")},
    )
    assert again.status_code == 409
    with unit_of_work(api.backends.sessions) as session:
        assert session.scalar(select(func.count()).select_from(DocumentVersion)) == 1
    assert [o.key for o in api.backends.store.list("docs/")] == [key]
    read = api.client.get(f"/api/v1/documents/{document['id']}/content")
    assert read.content == content


def test_disposal_under_object_lock_records_until_when_the_store_keeps_the_object(
    api: Api, s3_server: S3Server
) -> None:
    keeper = TestClient(api.client.app)
    add_user(api.admin, "head", api.department, "secret", "dept_head")
    add_user(api.admin, "keeper", api.department, "secret", "archivist")
    customer = api.customer()
    fields = {"doc_type": "correspondence", "title": "往来函", "issued_on": "2019-03-01"}
    letter = str(api.upload(customer, fake_file("pdf", 3000), **fields)["id"])
    with unit_of_work(api.backends.sessions) as session:
        row = session.scalars(select(DocumentVersion)).one()
        session.expunge(row)
    asked = api.client.post(
        "/api/v1/disposals", json={"document_ids": [letter], "reason": "保管期满"}
    ).json()
    for name in ("head", "keeper"):
        sign_in(keeper, name, USER_PASSWORD)
        url = f"/api/v1/disposals/{asked['id']}"
        assert keeper.post(f"{url}/decision", json={"approve": True}).status_code == 200

    done = api.client.post(f"/api/v1/disposals/{asked['id']}/execute")

    assert done.status_code == 200, done.text
    [item] = done.json()["items"]
    assert item["outcome"] == "disposed"
    kept_until = datetime.fromisoformat(item["kept_until"])
    assert abs(kept_until - (datetime.now(UTC) + timedelta(days=90))) < timedelta(minutes=5)
    # The store keeps the bytes, hidden, until then; no key opens them any more.
    assert list(api.backends.store.list("docs/")) == []
    raw = Minio(
        endpoint=s3_server.endpoint,
        access_key=s3_server.access_key,
        secret_key=s3_server.secret_key,
        secure=False,
    )
    bucket = api.backends.settings.s3_bucket
    kept = raw.list_objects(
        bucket_name=bucket, prefix="docs/", include_version=True, recursive=True
    )
    assert [o.object_name for o in kept if not o.is_delete_marker] == [row.object_key]
    fresh = key_provider(api.backends.settings)
    with pytest.raises(IntegrityError):
        fresh.unwrap(row.key_name, row.wrapped_key, wrap_context(row.document_id, row.version))
