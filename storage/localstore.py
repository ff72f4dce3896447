"""The object store of the embedded deployment: one file per object under a directory."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from storage.errors import BackendUnavailable, ObjectNotFound
from storage.objects import Leftover, ObjectInfo

CHUNK = 1 << 20
_KEY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")
_PARTIAL = ".partial-"
logger = logging.getLogger(__name__)


class LocalObjectStore:
    """Objects as files; a put writes a partial file and renames it, so objects appear whole."""

    def __init__(self, root: Path) -> None:
        self._root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        # Keys are ours (ids only), but a path must never leave the root whatever it is given.
        if not _KEY.fullmatch(key) or ".." in key:
            raise ValueError("object key is not a safe relative path")
        return self._root / key

    def check(self) -> None:
        """Raise BackendUnavailable unless the store's directory is there and writable."""
        if not (self._root.is_dir() and os.access(self._root, os.W_OK | os.X_OK)):
            raise BackendUnavailable("the object store")

    def put(self, key: str, data: BinaryIO) -> int:
        """Copy `data` into the object `key`, durably, replacing any earlier one."""
        path = self._path(key)
        partial = path.with_name(f"{_PARTIAL}{path.name}-{os.urandom(6).hex()}")
        size = 0
        try:
            with self._create(partial) as out:
                while chunk := data.read(CHUNK):
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            partial.replace(path)
        except BaseException as error:
            with suppress(OSError):
                partial.unlink(missing_ok=True)
                self._prune(partial.parent)
            if isinstance(error, OSError) and not isinstance(error, ConnectionError):
                raise _unavailable(error) from None  # the disk's failure, not the sender's
            raise
        return size

    def _create(self, partial: Path) -> BinaryIO:
        # A delete elsewhere may remove the directory between mkdir and open: make it again.
        for _ in range(3):
            partial.parent.mkdir(parents=True, exist_ok=True)
            try:
                return partial.open("xb")
            except FileNotFoundError:
                continue
        return partial.open("xb")

    def _prune(self, directory: Path) -> None:
        # Removing the last object of a document leaves no empty directory behind.
        while directory != self._root and directory.is_relative_to(self._root):
            try:
                directory.rmdir()
            except OSError:  # not empty (or already gone): its parents are not empty either
                return
            directory = directory.parent

    def get(self, key: str, offset: int = 0, length: int | None = None) -> Iterator[bytes]:
        """Stream the bytes from `offset`; opens the file at once, so a missing one fails here."""
        with self._disk(key):
            handle = self._path(key).open("rb")
        return self._read(key, handle, offset, length)

    def _read(self, key: str, handle: BinaryIO, offset: int, length: int | None) -> Iterator[bytes]:
        with self._disk(key):
            yield from _chunks(handle, offset, length)

    @contextmanager
    def _disk(self, key: str) -> Iterator[None]:
        """A missing file is a missing object; a missing root or a failing disk, no store."""
        try:
            yield
        except FileNotFoundError as error:
            if not self._root.is_dir():  # unmounted or removed: not the object's loss
                raise _unavailable(error) from None
            raise ObjectNotFound(f"object {key} is missing") from None
        except OSError as error:
            raise _unavailable(error) from None

    def stat(self, key: str) -> ObjectInfo:
        """Size and modification time."""
        with self._disk(key):
            found = self._path(key).stat()
        return ObjectInfo(key, found.st_size, datetime.fromtimestamp(found.st_mtime, UTC))

    def delete(self, key: str) -> None:
        """Remove the file if it is there, and its directory if that is left empty."""
        path = self._path(key)
        with self._disk(key):
            path.unlink(missing_ok=True)
        self._prune(path.parent)

    def purge(self, key: str) -> datetime | None:
        """A directory keeps one version and no lock: deleting it is purging it."""
        self.delete(key)
        return None

    def list(self, prefix: str) -> Iterator[ObjectInfo]:
        """Every complete object under `prefix`."""
        for directory, _, files in os.walk(self._root):
            for name in sorted(files):
                key = Path(directory, name).relative_to(self._root).as_posix()
                if key.startswith(prefix) and not name.startswith(_PARTIAL):
                    yield self.stat(key)

    def leftovers(self, prefix: str) -> Iterator[Leftover]:
        """Partial files of puts that never finished (the process died before its clean-up)."""
        for directory, _, files in os.walk(self._root):
            for name in sorted(files):
                if not name.startswith(_PARTIAL):
                    continue
                partial = Path(directory, name)
                target = name.removeprefix(_PARTIAL).rsplit("-", 1)[0]
                key = partial.with_name(target).relative_to(self._root).as_posix()
                if key.startswith(prefix):
                    with suppress(FileNotFoundError):  # its put finished meanwhile
                        written = datetime.fromtimestamp(partial.stat().st_mtime, UTC)
                        yield Leftover(key, written, name)

    def discard(self, leftover: Leftover) -> None:
        """Remove a partial file (the handle is its name, beside the object it was to become)."""
        if not leftover.handle.startswith(_PARTIAL) or "/" in leftover.handle:
            raise ValueError("not a partial file")
        partial = self._path(leftover.key).with_name(leftover.handle)
        partial.unlink(missing_ok=True)
        self._prune(partial.parent)


def _unavailable(error: OSError) -> BackendUnavailable:
    logger.warning("object store unavailable: %s", type(error).__name__)
    return BackendUnavailable("the object store")


def _chunks(handle: BinaryIO, offset: int, length: int | None) -> Iterator[bytes]:
    with handle:
        handle.seek(offset)
        remaining = length
        while remaining is None or remaining > 0:
            chunk = handle.read(CHUNK if remaining is None else min(CHUNK, remaining))
            if not chunk:
                return
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk
