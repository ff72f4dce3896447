"""A customer's whole file as a BagIt bag (RFC 8500), decrypted for an authorised archivist.

Invariants: the bag holds the latest version of each document the caller may read the content
of, decrypted (each verified against its recorded plaintext hash as it is written), and a
`documents.json` of their metadata; a document the caller may not read is left out and named
in bag-info.txt by id and level only, never by title; the bag leaves the archive's protection,
so the export is audited with the customer, the number of files and the hash of the payload
manifest. bagit changes the working directory while it bags, so it runs in a child process:
the threaded server's other requests keep theirs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import bagit
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest import holding
from ingest.filing import Vault
from ingest.intake import EXTENSIONS
from ingest.isolation import run_isolated
from ingest.letters import KEPT_BY as LETTER_FIELDS
from ingest.rights import Rights
from storage.auditevent import Actor, customer_target, record
from storage.auditnames import Action
from storage.envelope import unseal
from storage.errors import DanganError, IntegrityError
from storage.models import Customer, Document, DocumentVersion

PAYLOAD = "documents"  # the folder of files, under data/
METADATA = "documents.json"
_BAGGING_MEMORY_MB = 512
_STALE_SECONDS = 24 * 3600


class BagFailed(DanganError):
    """bagit could not make the bag (a bug or a full disk; the reason names no content)."""

    status = 500
    code = "bag_failed"


@dataclass(frozen=True)
class BagSummary:
    """What an export wrote: the files, the documents withheld, the payload manifest's hash."""

    path: Path
    files: int
    withheld: int
    manifest_sha256: str


def export(
    session: Session,
    actor: Actor,
    rights: Rights,
    vault: Vault,
    customer: Customer,
    target: Path,
    *,
    organisation: str,
    now: datetime,
    decision: dict[str, Any],
) -> BagSummary:
    """Write the customer's file as a bag into `target` (new or empty) and record the export."""
    readable = _readable(rights, customer)
    documents = list(
        session.scalars(
            # Documents the caller may not know exist are not named, not even counted.
            select(Document)
            .where(
                Document.customer_id == customer.id,
                rights.readable_documents(customer.department_id),
                Document.disposal_id.is_(None),  # a tombstone has no content to export
            )
            .order_by(Document.created_at, Document.id)
        )
    )
    shown = [d for d in documents if readable(d.secrecy)]
    withheld = [d for d in documents if not readable(d.secrecy)]
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BagFailed("the bag's folder is not empty")
    (target / PAYLOAD).mkdir(mode=0o700)
    entries = [_write_latest(session, vault, document, target) for document in shown]
    # Holds travel with the file: a copy restored elsewhere must not be disposed of either.
    holds = holding.holds_covering(session, customer, Document.id.in_([d.id for d in shown]))
    metadata = {
        "customer": _customer(customer),
        "exported_at": now.isoformat(),
        "documents": entries,
        "holds": [hold.model_dump(mode="json") for hold in holds],
    }
    (target / METADATA).write_text(json.dumps(metadata, ensure_ascii=False, indent=1), "utf-8")
    info = _bag_info(customer, organisation, now, withheld)
    run_isolated(
        make_bag, str(target), info, timeout=3600.0, memory_mb=_BAGGING_MEMORY_MB, failed=BagFailed
    )
    manifest = hashlib.sha256((target / "manifest-sha256.txt").read_bytes()).hexdigest()
    summary = BagSummary(target, len(entries), len(withheld), manifest)
    record(
        session, actor, Action.CUSTOMER_EXPORT, "success", customer_target(customer), decision,
        files=summary.files, withheld=summary.withheld, manifest_sha256=manifest, format="bagit",
    )  # fmt: skip
    return summary


def make_bag(path: str, info: dict[str, str | list[str]]) -> None:
    """bagit's bag of the folder, with SHA-256 and SHA-512 manifests (run in a child process)."""
    bagit.make_bag(path, info, checksums=["sha256", "sha512"])


def _readable(rights: Rights, customer: Customer) -> Any:
    # The same question as a direct read of a document's content, with its level.
    def readable(secrecy: str) -> bool:
        return rights.allowed(customer.department_id, "document", "read_content", secrecy)

    return readable


def _write_latest(
    session: Session, vault: Vault, document: Document, target: Path
) -> dict[str, Any]:
    # Only the latest version's bytes go in; every version is listed with its hash.
    versions = list(
        session.scalars(
            select(DocumentVersion)
            .where(DocumentVersion.document_id == document.id)
            .order_by(DocumentVersion.version)
        )
    )
    latest = versions[-1]
    # A name built from the type and the id only: nothing the sender chose reaches the bag's
    # paths (the name they gave is in the metadata).
    name = f"{PAYLOAD}/{document.doc_type}-{document.id}{EXTENSIONS[latest.media_type][0]}"
    digest = hashlib.sha256()
    with (target / name).open("xb") as out:
        for chunk in unseal(vault.store, vault.keys, latest):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != latest.sha256:
        raise IntegrityError(f"document {document.id}: plaintext hash differs from the record")
    return {
        "id": str(document.id),
        "doc_type": document.doc_type,
        "title": document.title,
        "secrecy": document.secrecy,
        "issued_on": _day(document.issued_on),
        "expires_on": _day(document.expires_on),
        "contract_no": document.contract_no,
        "counterparty": document.counterparty,
        "amount": str(document.amount) if document.amount is not None else None,
        **{name: getattr(document, name) for name in LETTER_FIELDS},
        "created_at": document.created_at.isoformat(),
        "file": f"data/{name}",
        "latest_version": latest.version,
        "versions": [
            {
                "version": v.version,
                "filename": v.filename,
                "media_type": v.media_type,
                "size": v.size,
                "sha256": v.sha256,
                "created_at": v.created_at.isoformat(),
            }
            for v in versions
        ],
    }


def _customer(customer: Customer) -> dict[str, Any]:
    return {
        "id": str(customer.id),
        "name": customer.name,
        "uscc": customer.uscc,
        "department_id": str(customer.department_id),
        "secrecy": customer.secrecy,
    }


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _bag_info(
    customer: Customer, organisation: str, now: datetime, withheld: list[Document]
) -> dict[str, str | list[str]]:
    info: dict[str, str | list[str]] = {
        "Source-Organization": organisation,
        "Bagging-Date": now.date().isoformat(),
        "Bagging-Time": now.isoformat(),
        "External-Identifier": str(customer.id),
        "External-Description": f"Customer file of {customer.name} ({customer.uscc})",
        "Bag-Software-Agent": "Dangan with bagit",
        "Withheld-Documents": str(len(withheld)),
    }
    if withheld:
        # Known to the caller but not readable by them: named by id and level only, since a
        # title may say what they may not read.
        info["Withheld-Document"] = [f"{d.id} ({d.secrecy})" for d in withheld]
    return info


def new_bag_folder(root: Path) -> Path:
    """A fresh folder for one bag under `root` (made 0700), once older ones are swept away.

    A bag is removed as soon as it is sent; one whose download never started (the client went
    before the first byte) is removed by the next export after a day.
    """
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    for old in root.glob("bag-*"):
        if time.time() - old.stat().st_mtime > _STALE_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    return root / f"bag-{uuid.uuid4()}"
