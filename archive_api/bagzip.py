"""A bag folder streamed as a zip, a chunk at a time, and removed once sent (or abandoned).

Invariants: memory holds one chunk of one file and the zip's central directory, whatever the
bag's size; the folder (plaintext) is deleted when the stream ends, is closed early, or fails.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

_CHUNK = 1 << 20
_ZIP64_FROM = 1 << 31  # zipfile must know before writing a member past this size


class _Spool:
    """What the zip writer wrote since the last take: a sink that never seeks."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        """Keep `data` until taken."""
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered beyond the parts."""

    def close(self) -> None:
        """The stream's end is the generator's."""

    def take(self) -> bytes:
        """Everything written since the last take."""
        out = b"".join(self._parts)
        self._parts.clear()
        return out


def zipped(folder: Path, name: str) -> Iterator[bytes]:
    """The folder as a zip whose members sit under `name/`; the folder is removed at the end."""
    try:
        spool = _Spool()
        # No tell(): zipfile writes each member's sizes after it (a data descriptor).
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                member = zipfile.ZipInfo.from_file(path, f"{name}/{path.relative_to(folder)}")
                big = path.stat().st_size >= _ZIP64_FROM
                with path.open("rb") as source, archive.open(member, "w", force_zip64=big) as out:
                    while chunk := source.read(_CHUNK):
                        out.write(chunk)
                        yield spool.take()
                yield spool.take()
        yield spool.take()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
