"""Backup and restore of the embedded deployment: database, objects, keyring and audit key in
one tar file.

Invariants: nothing is decrypted (objects stay ciphertext, keys are copied as stored). The
database is snapshotted first, with SQLite's online backup API while the archive serves, and
what its rows refer to is copied after it: an object is stored and a key made (or rotated)
before the row naming it commits, and neither is ever changed afterwards, so everything the
snapshot needs exists by then. Only objects the snapshot names are taken (no orphans, no
partial files), each checked against its recorded hash. The backup file is 0600 and holds the
keys: it is as secret as they are. A restore checks every member against the manifest before
it writes anything, writes only into an empty data directory (0700, files 0600), and removes
what it wrote if anything fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from storage.config import StorageSettings
from storage.errors import Conflict, IntegrityError, NotFound
from storage.localstore import LocalObjectStore
from storage.models.base import utcnow

FORMAT = "dangan-backup/1"
MANIFEST = "manifest.json"
DATABASE = "dangan.db"
KEYRING = "keyring.json"
AUDIT_KEY = "audit-ed25519.pem"
OBJECTS = "objects/"
# Object keys are `docs/<document id>/<version>`; a member name must be one of ours to be
# written anywhere, so a crafted backup cannot place a file outside the data directory.
_OBJECT_MEMBER = re.compile(r"objects/docs/[0-9a-f-]{36}/[0-9]{1,9}")
_CHUNK = 1 << 20


@dataclass
class BackupSummary:
    """What a backup holds: its members, the objects among them and the database's row counts."""

    members: int = 0
    objects: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def _embedded_only(settings: StorageSettings) -> None:
    if settings.database_url or settings.s3_endpoint or settings.kms_url:
        raise Conflict(
            "backup and restore cover the embedded deployment; PostgreSQL, S3 and OpenBao are "
            "backed up with their own tools (docs/operations.md)"
        )


class _Hashing:
    """A reader over chunks that hashes what passes through (tarfile reads in small pieces)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._pending = chunks, bytearray()
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._pending) < size:
            chunk = next(self._chunks, b"")
            if not chunk:
                break
            self._pending += chunk
        cut = len(self._pending) if size < 0 else size
        data = bytes(self._pending[:cut])
        del self._pending[:cut]
        self.sha256.update(data)
        return data


def _snapshot(database: Path, target: Path) -> None:
    """A consistent copy of the live database, taken in one read transaction."""
    with (
        closing(sqlite3.connect(database, timeout=30)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)  # all pages in one step: one snapshot, writers are not blocked (WAL)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file


def _contents(snapshot: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Row counts of every table, and the objects (key, ciphertext SHA-256) the rows name."""
    with closing(sqlite3.connect(snapshot)) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " ORDER BY name"
            )
        ]
        # The table names come from the snapshot's own catalogue, not from any input.
        count = 'SELECT count(*) FROM "{}"'
        rows = {name: db.execute(count.format(name)).fetchone()[0] for name in tables}
        objects = db.execute(
            "SELECT object_key, ciphertext_sha256 FROM document_version ORDER BY object_key"
        ).fetchall()
    return rows, [(str(key), str(digest)) for key, digest in objects]


def _add(tar: tarfile.TarFile, name: str, size: int, reader: _Hashing) -> str:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(utcnow().timestamp())
    tar.addfile(info, reader)  # tarfile needs only read()
    return reader.sha256.hexdigest()


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def take(settings: StorageSettings, output: Path) -> BackupSummary:
    """Write a backup of the embedded archive at `settings.data_dir` to `output` (0600)."""
    _embedded_only(settings)
    database = settings.data_dir / DATABASE
    if not database.is_file():
        raise NotFound("no archive database in the data directory")
    if output.exists():
        raise Conflict("the backup file exists already; choose a new name")
    if not output.parent.is_dir():
        raise NotFound("the directory of the backup file does not exist")
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        snapshot = Path(work, DATABASE)
        _snapshot(database, snapshot)
        rows, objects = _contents(snapshot)
        partial = Path(work, "backup.tar")
        members: dict[str, str] = {}
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                files = [(DATABASE, snapshot)]
                # Copied after the snapshot, so every key version its rows used is in them.
                files += [(KEYRING, settings.data_dir / KEYRING)]
                files += [(AUDIT_KEY, settings.audit_key_path())]
                for name, path in files:
                    if path.exists():
                        size = path.stat().st_size
                        members[name] = _add(tar, name, size, _Hashing(_file_chunks(path)))
                store = LocalObjectStore(settings.data_dir / "objects")
                for key, recorded in objects:
                    reader = _Hashing(store.get(key))
                    members[OBJECTS + key] = _add(tar, OBJECTS + key, store.stat(key).size, reader)
                    if members[OBJECTS + key] != recorded:
                        raise IntegrityError(
                            f"object {key} does not match its recorded hash; run the fixity check"
                        )
                manifest = json.dumps(
                    {
                        "format": FORMAT,
                        "created_at": utcnow().isoformat(),
                        "rows": rows,
                        "members": members,
                    },
                    indent=1,
                    sort_keys=True,
                ).encode()
                _add(tar, MANIFEST, len(manifest), _Hashing(iter([manifest])))
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(output)
    return BackupSummary(len(members), len(objects), rows)


def _manifest(tar: tarfile.TarFile) -> dict[str, object]:
    try:
        member = tar.getmember(MANIFEST)
        source = tar.extractfile(member)
        if source is None:
            raise KeyError(MANIFEST)
        manifest: dict[str, object] = json.loads(source.read())
    except (KeyError, ValueError):
        raise IntegrityError("the backup has no readable manifest") from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("members"), dict):
        raise IntegrityError("the backup's manifest is not one this version reads")
    return manifest


def _target(settings: StorageSettings, name: str) -> Path:
    """Where a member goes; a name that is not one of ours is refused."""
    if name in {DATABASE, KEYRING}:
        return settings.data_dir / name
    if name == AUDIT_KEY:
        return settings.audit_key_path()
    if _OBJECT_MEMBER.fullmatch(name):
        return settings.data_dir / name
    raise IntegrityError(f"member {name} is not part of a Dangan backup")


def _stream(tar: tarfile.TarFile, member: tarfile.TarInfo) -> Iterator[bytes]:
    source = tar.extractfile(member)
    if source is None or not member.isfile():
        raise IntegrityError(f"member {member.name} is not a regular file")
    while chunk := source.read(_CHUNK):
        yield chunk


def _verify(tar: tarfile.TarFile, settings: StorageSettings, members: dict[str, str]) -> None:
    """Every member is ours, listed once and whole; every listed member is there."""
    seen: set[str] = set()
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        _target(settings, member.name)
        if member.name not in members or member.name in seen:
            raise IntegrityError(f"member {member.name} is not listed in the manifest")
        seen.add(member.name)
        digest = hashlib.sha256()
        for chunk in _stream(tar, member):
            digest.update(chunk)
        if digest.hexdigest() != members[member.name]:
            raise IntegrityError(f"member {member.name} does not match the manifest")
    missing = sorted(set(members) - seen)
    if missing:
        raise IntegrityError(f"member {missing[0]} is missing from the backup")
    if DATABASE not in seen:
        raise IntegrityError(f"member {DATABASE} is missing from the backup")


def _write(path: Path, chunks: Iterator[bytes], written: list[Path]) -> str:
    for parent in reversed(path.parents):
        if not parent.exists():
            parent.mkdir(mode=0o700)
            written.append(parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    written.append(path)
    digest = hashlib.sha256()
    with os.fdopen(descriptor, "wb") as out:
        for chunk in chunks:
            out.write(chunk)
            digest.update(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def _remove(written: list[Path]) -> None:
    for path in reversed(written):
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink(missing_ok=True)


def restore(archive: Path, settings: StorageSettings) -> BackupSummary:
    """Check the backup at `archive`, then write it into the empty data directory."""
    _embedded_only(settings)
    if settings.data_dir.exists() and any(settings.data_dir.iterdir()):
        raise Conflict("the data directory is not empty; restore only into an empty one")
    if settings.audit_key_path().exists():
        raise Conflict("an audit signing key is at DANGAN_AUDIT_KEY_FILE already")
    try:
        with tarfile.open(archive, mode="r:") as tar:
            manifest = _manifest(tar)
            members: dict[str, str] = manifest["members"]  # type: ignore[assignment]
            _verify(tar, settings, members)
            written: list[Path] = []
            try:
                settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
                settings.data_dir.chmod(0o700)
                for member in tar.getmembers():
                    if member.name == MANIFEST:
                        continue
                    path = _target(settings, member.name)
                    # Checked again as written: the file could have changed since it was read.
                    if _write(path, _stream(tar, member), written) != members[member.name]:
                        raise IntegrityError(f"member {member.name} does not match the manifest")
            except BaseException:
                _remove(written)
                raise
    except (tarfile.TarError, EOFError):
        raise IntegrityError("the backup is not a readable tar file") from None
    rows: dict[str, int] = manifest.get("rows", {})  # type: ignore[assignment]
    objects = sum(name.startswith(OBJECTS) for name in members)
    return BackupSummary(len(members), objects, rows)
