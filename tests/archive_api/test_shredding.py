"""Crypto-shredding: destroyed key versions leave the doomed versions unreadable from any copy of
the database, while the customer's other versions, and those uploaded meanwhile, read on."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from storage import rotation
from storage.db import unit_of_work
from storage.envelope import wrap_context
from storage.errors import IntegrityError
from storage.keys import customer_key_name, key_provider
from storage.models import DocumentVersion
from tests.archive_api.conftest import Api
from tests.factories import fake_file


def _upload(api: Api, customer: str, size: int) -> tuple[str, bytes]:
    content = fake_file("pdf", size)
    return str(api.upload(customer, content, doc_type="contract", title="合同")["id"]), content


def _rows(api: Api) -> dict[str, DocumentVersion]:
    """Every version row by its document, detached: a copy of the database as it is now."""
    with unit_of_work(api.backends.sessions) as session:
        rows = session.scalars(select(DocumentVersion)).all()
        session.expunge_all()
    return {str(r.document_id): r for r in rows}


def _reads(api: Api, document: str, content: bytes) -> None:
    got = api.client.get(f"/api/v1/documents/{document}/content")
    assert got.status_code == 200, got.text
    assert got.content == content


def test_a_shredded_version_opens_nothing_even_from_a_copy_taken_before(api: Api) -> None:
    first, other = api.customer("贵州销毁一有限公司"), api.customer("贵州销毁二有限公司")
    doomed, kept, also_kept = (_upload(api, first, size) for size in (3000, 4000, 5000))
    elsewhere = _upload(api, other, 6000)
    before = _rows(api)  # a backup of the database taken before the disposal
    name = customer_key_name(first)
    # Another process (a command) shreds: the server's own caches play no part.
    keys = key_provider(api.backends.settings)

    done = rotation.shred(api.backends.sessions, keys, name, {before[doomed[0]].id})

    assert (done.kept, done.shredded) == (2, 1)
    for document, content in (kept, also_kept, elsewhere):
        _reads(api, document, content)
    now = _rows(api)
    fresh = key_provider(api.backends.settings)
    for copy in (now, before):
        row = copy[doomed[0]]
        with pytest.raises(IntegrityError):
            fresh.unwrap(name, row.wrapped_key, wrap_context(row.document_id, row.version))
    # The copy taken before opens none of that customer's versions any more (take a backup
    # after each disposal); another customer's versions are untouched.
    old = before[kept[0]]
    with pytest.raises(IntegrityError):
        fresh.unwrap(name, old.wrapped_key, wrap_context(old.document_id, old.version))
    untouched = before[elsewhere[0]]
    context = wrap_context(untouched.document_id, untouched.version)
    assert fresh.unwrap(customer_key_name(other), untouched.wrapped_key, context)


def test_versions_uploaded_while_shredding_are_kept(api: Api) -> None:
    customer = api.customer("贵州销毁三有限公司")
    doomed = _upload(api, customer, 3000)
    name = customer_key_name(customer)
    uploaded: list[tuple[str, bytes]] = []

    def meanwhile() -> None:
        # The server's batch key, begun before the rotation, still wraps under the old version.
        uploaded.append(_upload(api, customer, 4000))

    doomed_row = _rows(api)[doomed[0]].id
    keys = key_provider(api.backends.settings)
    done = rotation.shred(api.backends.sessions, keys, name, {doomed_row}, meanwhile)

    assert (done.kept, done.shredded) == (1, 1)
    _reads(api, *uploaded[0])


def test_shredding_nothing_of_a_key_keeps_everything(api: Api) -> None:
    customer = api.customer("贵州销毁四有限公司")
    files = [_upload(api, customer, size) for size in (3000, 4000)]
    keys = key_provider(api.backends.settings)

    done = rotation.shred(api.backends.sessions, keys, customer_key_name(customer), {uuid.uuid4()})

    assert (done.kept, done.shredded) == (2, 0)
    for document, content in files:
        _reads(api, document, content)


def test_a_key_shredded_before_is_shredded_again(api: Api) -> None:
    customer = api.customer("贵州销毁五有限公司")
    first, second, kept = (_upload(api, customer, size) for size in (3000, 4000, 5000))
    rows = _rows(api)
    keys = key_provider(api.backends.settings)
    name = customer_key_name(customer)

    once = rotation.shred(api.backends.sessions, keys, name, {rows[first[0]].id})
    twice = rotation.shred(api.backends.sessions, keys, name, {rows[second[0]].id})

    assert (once.kept, once.shredded, twice.kept, twice.shredded) == (2, 1, 1, 2)
    _reads(api, *kept)
    fresh = key_provider(api.backends.settings)
    row = rows[second[0]]
    with pytest.raises(IntegrityError):
        fresh.unwrap(name, row.wrapped_key, wrap_context(row.document_id, row.version))
