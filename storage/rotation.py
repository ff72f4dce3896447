"""Key rotation: a new version of each key-encryption key, and every wrapped data key moved onto it.

Invariants: content is never re-encrypted, only the wrapped data keys in `document_version`
change, and the data key inside stays the same; a rewrap happens inside the key service (Transit)
or the keyring, so no data key passes through this module; a row is written with a
compare-and-set on its old wrapped key, so a row changed meanwhile is left for the next pass and
never overwritten; rows commit a few hundred at a time, so an interrupted rewrap resumes by
running it again, which finds only rows still below their key's latest version; readers go on
throughout, since every key version unwraps until it is retired.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.db import unit_of_work
from storage.envelope import wrap_context
from storage.errors import IntegrityError
from storage.keys import KeyProvider, customer_key_name
from storage.models import Customer, DocumentVersion

_ROWS = 200  # rows per transaction: small enough that an interruption loses little


@dataclass
class Rewrapped:
    """What a pass did: rows moved onto their key's latest version, rows already there, rows
    changed by someone else meanwhile (left for the next pass)."""

    moved: int = 0
    current: int = 0
    changed: int = 0


def key_names(session: Session) -> list[str]:
    """Every customer's key-encryption key, and any other key a stored version names."""
    customers = session.scalars(select(Customer.id)).all()
    return sorted({customer_key_name(str(c)) for c in customers} | set(wrapping_keys(session)))


def wrapping_keys(session: Session) -> list[str]:
    """The keys that wrap at least one stored version: the ones a rewrap goes through."""
    return sorted(session.scalars(select(DocumentVersion.key_name).distinct()))


def rotate(keys: KeyProvider, names: Iterable[str]) -> dict[str, int]:
    """Add a version to each named key; returns each key's new latest version."""
    return {name: keys.rotate(name) for name in names}


def versions(session: Session, keys: KeyProvider) -> Counter[tuple[str, bool]]:
    """How many stored versions are wrapped by each key, on its latest version or not."""
    latest: dict[str, int] = {}
    tally: Counter[tuple[str, bool]] = Counter()
    rows = session.execute(select(DocumentVersion.key_name, DocumentVersion.wrapped_key))
    for name, wrapped in rows:
        if name not in latest:
            latest[name] = keys.latest_version(name)
        tally[name, keys.key_version(wrapped) >= latest[name]] += 1
    return tally


def count(session: Session, names: Iterable[str]) -> int:
    """How many stored versions the named keys wrap (the size of a pass)."""
    chosen = list(names)
    query = select(func.count()).where(DocumentVersion.key_name.in_(chosen))
    return session.scalar(query.select_from(DocumentVersion)) or 0


def rewrap(
    sessions: sessionmaker[Session],
    keys: KeyProvider,
    names: Iterable[str],
    done: Callable[[int], object] = lambda rows: None,
) -> Rewrapped:
    """One pass: every version wrapped by an earlier version of its key is rewrapped to the latest.

    `done` is told how many rows each transaction went through, for a progress bar.
    """
    result = Rewrapped()
    latest: dict[str, int] = {}  # asked of the key service only for a key with rows

    def move(session: Session, row: DocumentVersion) -> None:
        name = row.key_name
        if name not in latest:
            latest[name] = keys.latest_version(name)
        _rewrap_row(session, keys, name, latest[name], row, result)

    for name in names:
        _through(sessions, name, move, done)
    return result


def _through(
    sessions: sessionmaker[Session],
    name: str,
    act: Callable[[Session, DocumentVersion], None],
    done: Callable[[int], object] = lambda rows: None,
) -> None:
    """Every version the key wraps, a few hundred to a transaction, in the order of their ids."""
    after: uuid.UUID | None = None
    while True:
        with unit_of_work(sessions) as session:
            rows = _next_rows(session, name, after)
            for row in rows:
                act(session, row)
        if not rows:
            return
        after = rows[-1].id
        done(len(rows))


def _next_rows(session: Session, name: str, after: uuid.UUID | None) -> list[DocumentVersion]:
    query = select(DocumentVersion).where(DocumentVersion.key_name == name)
    if after is not None:
        query = query.where(DocumentVersion.id > after)
    return list(session.scalars(query.order_by(DocumentVersion.id).limit(_ROWS)))


def _rewrap_row(
    session: Session,
    keys: KeyProvider,
    name: str,
    latest: int,
    row: DocumentVersion,
    result: Rewrapped,
) -> None:
    old = row.wrapped_key
    if keys.key_version(old) >= latest:
        result.current += 1
        return
    new = keys.rewrap(name, old, wrap_context(row.document_id, row.version))
    moved = session.execute(
        update(DocumentVersion)
        .where(DocumentVersion.id == row.id, DocumentVersion.wrapped_key == old)
        .values(wrapped_key=new)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount == 1:  # type: ignore[attr-defined]
        result.moved += 1
    else:
        result.changed += 1


@dataclass
class Shredded:
    """What a shredding did: versions given a fresh wrap under the new key version, versions
    left under the destroyed ones (the doomed, and any changed meanwhile)."""

    kept: int = 0
    shredded: int = 0


def shred(
    sessions: sessionmaker[Session],
    keys: KeyProvider,
    name: str,
    doomed: Collection[uuid.UUID],
    settle: Callable[[], object] = lambda: None,
) -> Shredded:
    """Make the versions `doomed` (row ids) of the key `name` undecryptable everywhere.

    The key gets a new version; every other version it wraps gets a fresh wrap under it (not a
    rewrap: a batch key it shared with a doomed version must not survive); then the versions
    below are destroyed in the key service, so a wrapped key in any copy of the database opens
    nothing. `settle` waits until no process can still wrap under an older version (a running
    server's batch key, `DANGAN_KEY_BATCH_MAX_AGE`); the rows written meanwhile are moved after.
    """
    latest = keys.rotate(name)
    done = Shredded()

    def move(session: Session, row: DocumentVersion) -> None:
        if row.id not in doomed and keys.key_version(row.wrapped_key) < latest:
            done.kept += _fresh_wrap(session, keys, name, row)

    _through(sessions, name, move)
    settle()
    _through(sessions, name, move)  # what was written under an older version meanwhile
    keys.retire(name, latest)

    def tally(session: Session, row: DocumentVersion) -> None:
        done.shredded += keys.key_version(row.wrapped_key) < latest

    _through(sessions, name, tally)
    return done


def _fresh_wrap(session: Session, keys: KeyProvider, name: str, row: DocumentVersion) -> int:
    context = wrap_context(row.document_id, row.version)
    try:
        key = keys.unwrap(name, row.wrapped_key, context)
    except IntegrityError:
        # Shredded by an earlier disposal not yet finished (its row not yet a tombstone's):
        # nothing opens it, and it stays so.
        return 0
    fresh = keys.wrap(name, key, context)
    moved = session.execute(
        update(DocumentVersion)
        .where(DocumentVersion.id == row.id, DocumentVersion.wrapped_key == row.wrapped_key)
        .values(wrapped_key=fresh)
        .execution_options(synchronize_session=False)
    )
    return int(moved.rowcount == 1)  # type: ignore[attr-defined]
