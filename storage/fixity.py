"""The fixity check: every row has its object, every object its row, no stored byte changed,
and every customer has an active custodian.

Invariants: an object is removed only if no row refers to it and it is older than the grace
period (an upload stores its object before committing its row); what an unfinished put left
(a partial file, an incomplete multipart upload) is removed only once older than the grace
period too, as it may still be in flight; rows are never changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.errors import ObjectNotFound
from storage.models import Customer, DocumentVersion, User, UserStatus
from storage.models.base import utcnow
from storage.objects import ObjectStore

PREFIX = "docs/"


@dataclass
class FixityReport:
    """What one fixity check found."""

    checked: int = 0
    orphans_removed: list[str] = field(default_factory=list)
    orphans_recent: list[str] = field(default_factory=list)
    # Keys of puts that never finished (partial files, incomplete multipart uploads).
    unfinished_removed: list[str] = field(default_factory=list)
    unfinished_recent: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    corrupted: list[str] = field(default_factory=list)
    # "customer id (custodian status)" of customers whose custodian is not an active user.
    unattended: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        """True when nothing is missing or corrupted and every customer has a custodian."""
        return not self.missing and not self.corrupted and not self.unattended


def _ciphertext_sha256(store: ObjectStore, key: str) -> str:
    digest = hashlib.sha256()
    for chunk in store.get(key):
        digest.update(chunk)
    return digest.hexdigest()


def check(session: Session, store: ObjectStore, grace: timedelta) -> FixityReport:
    """Re-hash every version, remove orphans and unfinished puts, find unattended files."""
    report = FixityReport()
    known: set[str] = set()
    for row in session.scalars(select(DocumentVersion).order_by(DocumentVersion.created_at)):
        known.add(row.object_key)
        report.checked += 1
        try:
            if _ciphertext_sha256(store, row.object_key) != row.ciphertext_sha256:
                report.corrupted.append(row.object_key)
        except ObjectNotFound:
            report.missing.append(row.object_key)
    report.unattended = [
        f"{customer} (custodian {status})"
        for customer, status in session.execute(
            select(Customer.id, User.status)
            .join(User, User.id == Customer.custodian_id)
            .where(User.status != UserStatus.active)
            .order_by(Customer.id)
        )
    ]
    cutoff = utcnow() - grace
    for info in store.list(PREFIX):
        if info.key in known:
            continue
        if info.modified_at > cutoff:
            report.orphans_recent.append(info.key)
        else:
            store.delete(info.key)
            report.orphans_removed.append(info.key)
    for leftover in store.leftovers(PREFIX):
        if leftover.started_at > cutoff:
            report.unfinished_recent.append(leftover.key)
        else:
            store.discard(leftover)
            report.unfinished_removed.append(leftover.key)
    return report
