"""Serving a version's bytes (ingest.serving), called directly: what is recorded is what is sent."""

from __future__ import annotations

import hashlib
import io
import uuid
from typing import Any

import pdfplumber

from ingest import serving
from ingest.documents import get_version
from ingest.pages import Mark, RenderLimits
from storage.auditnames import Action
from storage.models import Document
from tests.archive_api.conftest import Api
from tests.archive_api.steps.conftest import acting
from tests.factories import sample_pdf

DECIDED = {"effect": "allow", "rule": "archivist"}


def _vault(api: Api) -> serving.Vault:
    settings = api.backends.settings
    limits = RenderLimits(
        settings.render_timeout, settings.render_memory_mb, settings.render_max_pixels
    )
    return serving.Vault(api.backends.store, api.backends.keys, limits)


def test_stored_bytes_are_served_in_the_range_asked_and_recorded_with_the_stored_hash(
    api: Api, events: list[dict[str, Any]]
) -> None:
    content = sample_pdf()
    document_id = uuid.UUID(str(api.upload(api.customer(), content)["id"]))
    events.clear()
    with acting(api, "archivist") as (session, _, actor):
        document = session.get_one(Document, document_id)
        row = get_version(document, None)
        vault = _vault(api)
        sent = serving.content(session, actor, vault, document, row, None, (5, 50), DECIDED)
        body = b"".join(sent.chunks)
    assert body == content[5:50]
    (event,) = events
    assert event["action"] == Action.CONTENT_READ
    assert event["range"] == [5, 50]
    assert event["sha256"] == hashlib.sha256(content).hexdigest()
    assert event["watermarked"] is False
    assert event["decision"] == DECIDED


def test_a_marked_file_is_served_whole_and_recorded_with_the_hash_of_what_is_sent(
    api: Api, events: list[dict[str, Any]]
) -> None:
    content = sample_pdf()
    document_id = uuid.UUID(str(api.upload(api.customer(), content)["id"]))
    events.clear()
    mark = Mark("王五 · JY-2026-0001", "2026-11-30 14:00 UTC+08:00")
    with acting(api, "archivist") as (session, _, actor):
        document = session.get_one(Document, document_id)
        row = get_version(document, None)
        vault = _vault(api)
        sent = serving.content(session, actor, vault, document, row, mark, None, DECIDED)
        body = b"".join(sent.chunks)
    assert sent.watermarked
    assert (sent.start, sent.end) == (0, len(body))
    assert body != content
    (event,) = events
    assert event["sha256"] == hashlib.sha256(body).hexdigest()
    assert event["watermarked"] is True


def test_the_page_count_is_the_versions_and_is_no_read_of_its_content(
    api: Api, events: list[dict[str, Any]]
) -> None:
    content = sample_pdf()
    document_id = uuid.UUID(str(api.upload(api.customer(), content)["id"]))
    with pdfplumber.open(io.BytesIO(content)) as opened:
        printed = len(opened.pages)
    events.clear()
    with acting(api, "archivist") as (session, _, _):
        row = get_version(session.get_one(Document, document_id), None)
        assert serving.page_count(_vault(api), api.backends.renderer, row) == printed
    assert events == []  # the pages read afterwards are recorded, each as it is served
