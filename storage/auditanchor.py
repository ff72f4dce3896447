"""The anchor file: each signed audit checkpoint appended to a file outside the database.

Invariants: the file is only ever appended to, one checkpoint per line in order of size, as
`dangan audit verify --anchor` reads it; a checkpoint is appended once (the last line says how
far the file goes); it holds sizes, hashes, times and signatures, never event content. A log
that no longer holds the last anchored checkpoint was cut or rewritten: that is logged as an
error, and the file keeps the evidence.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage import auditlog
from storage.models.audit import AuditCheckpoint

logger = logging.getLogger(__name__)
TAIL = 64 * 1024  # bytes read from the end of the file to find its last line


class AnchorFile:
    """Appends the checkpoints signed since its last line to the file at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._last: dict[str, Any] | None = None
        self._read = False
        self._alerted = False

    def send(self, sessions: sessionmaker[Session]) -> int:
        """Append every checkpoint newer than the file's last line; returns how many."""
        if not self._read:
            self._last, self._read = _last_line(self.path), True
        done = 0 if self._last is None else int(self._last["size"])
        with sessions() as session:
            self._check(session)
            points = session.scalars(
                select(AuditCheckpoint)
                .where(AuditCheckpoint.size > done)
                .order_by(AuditCheckpoint.size)
            ).all()
            anchors = [auditlog.anchor(point) for point in points]
        if not anchors:
            return 0
        with self.path.open("ab") as file:
            # A line cut short by a crash is ended, so the next one stays readable.
            if file.tell() > 0 and not _ends_a_line(self.path):
                file.write(b"\n")
            file.write(b"".join(json.dumps(a).encode() + b"\n" for a in anchors))
            file.flush()
            os.fsync(file.fileno())
        self._last = anchors[-1]
        return len(anchors)

    def _check(self, session: Session) -> None:
        """Alert, once, when the log no longer holds the checkpoint last anchored."""
        if self._last is None or self._alerted:
            return
        held = session.get(AuditCheckpoint, self._last["size"])
        if held is None or held.body.decode() != self._last["body"]:
            self._alerted = True
            logger.error(
                "the audit log no longer holds the checkpoint anchored at size %d in %s:"
                " it was cut or rewritten",
                self._last["size"],
                self.path,
            )


def _ends_a_line(path: Path) -> bool:
    with path.open("rb") as file:
        file.seek(-1, os.SEEK_END)
        return file.read(1) == b"\n"


def _last_line(path: Path) -> dict[str, Any] | None:
    """The last whole checkpoint in the file, if any."""
    try:
        with path.open("rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - TAIL))
            tail = file.read()
    except FileNotFoundError:
        return None
    for line in reversed(tail.splitlines()):
        try:
            found = json.loads(line)
        except ValueError:
            continue  # cut short by a crash, or the start of the tail mid-line
        if isinstance(found, dict) and "size" in found and "body" in found:
            return found
    return None
