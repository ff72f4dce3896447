"""Serving what a reader may read: a version's bytes, or a page as an image, each recorded.

Invariants: the basis of the read (archivist, or a borrowing open now) was found before a step
here is called (`access.reading.basis`, by the front door); a borrower's file carries the mark
on every page and is served whole, since each stamping carries its own minute and two must never
be spliced into one file; plaintext stays in memory; the audit event, with the hash of the exact
bytes served, is appended before the first byte is produced, so it commits before any is sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ingest.pages import Mark, RenderLimits
from ingest.stamp import stamped
from ingest.viewer import Format, Renderer, Size
from storage.auditevent import Actor, document_target, record
from storage.auditnames import Action
from storage.envelope import unseal
from storage.keys import KeyProvider
from storage.models import Document, DocumentVersion
from storage.objects import ObjectStore

PIECE = 1 << 20


@dataclass(frozen=True)
class Vault:
    """Where versions are kept and how they are opened and marked."""

    store: ObjectStore
    keys: KeyProvider
    limits: RenderLimits


@dataclass(frozen=True)
class Served:
    """The bytes of one read: `start` to `end` of `size`, in pieces."""

    chunks: Iterator[bytes]
    size: int
    start: int
    end: int
    watermarked: bool


def plaintext(vault: Vault, row: DocumentVersion) -> bytes:
    """A whole version in clear, in memory (rendering and stamping need all of it)."""
    return b"".join(unseal(vault.store, vault.keys, row, 0, row.size))


def content(
    session: Session,
    actor: Actor,
    vault: Vault,
    document: Document,
    row: DocumentVersion,
    mark: Mark | None,
    span: tuple[int, int] | None,
    decision: dict[str, Any],
) -> Served:
    """A version's file: stamped whole with `mark` (a borrower's), else the stored bytes of
    `span` (or all); the reading is recorded with the hash of exactly what is served."""
    if mark is not None:
        body = stamped(plaintext(vault, row), row.media_type, mark.text, vault.limits)
        size, digest = len(body), hashlib.sha256(body).hexdigest()
        start, end, chunks = 0, size, _pieces(body)
    else:
        size, digest = row.size, row.sha256  # the stored hash, checked as it is decrypted
        start, end = span or (0, size)
        chunks = unseal(vault.store, vault.keys, row, start, end)
    record(
        session, actor, Action.CONTENT_READ, "success", document_target(document, row.version),
        decision, sha256=digest, range=[start, end], watermarked=mark is not None,
    )  # fmt: skip
    return Served(chunks, size, start, end, mark is not None)


def page(
    session: Session,
    actor: Actor,
    vault: Vault,
    renderer: Renderer,
    document: Document,
    row: DocumentVersion,
    number: int,
    mark: Mark,
    shown: tuple[Size, Format],
    decision: dict[str, Any],
    **extra: Any,
) -> bytes:
    """Page `number` of a version as a marked image, its reading recorded with its hash."""
    size, image_format = shown
    fetch = lambda: plaintext(vault, row)  # noqa: E731 - only when the renderer lacks it
    image = renderer.page(key(row), fetch, row.media_type, number, mark, size, image_format)
    record(
        session, actor, Action.PAGE_READ, "success", document_target(document, row.version),
        decision, page=number, size=size, sha256=hashlib.sha256(image).hexdigest(), **extra,
    )  # fmt: skip
    return image


def page_count(vault: Vault, renderer: Renderer, row: DocumentVersion) -> int:
    """How many pages the viewer can show of a version; nothing of its content is served."""
    fetch = lambda: plaintext(vault, row)  # noqa: E731 - only when the renderer lacks it
    return renderer.count(key(row), fetch, row.media_type)


def key(row: DocumentVersion) -> str:
    """The renderers' name of a version's plaintext."""
    # A version never changes once stored, so its object and hash name its plaintext for good.
    return f"{row.object_key}:{row.sha256}"


def _pieces(body: bytes) -> Iterator[bytes]:
    # A stamped file is sent as a stored one is, a piece at a time, not as one write.
    for start in range(0, len(body), PIECE):
        yield body[start : start + PIECE]
