"""What a sent file is, judged as it is read: its size against the limit, its SHA-256, its type
by its first bytes (never its name), and the name it is kept and served under."""

from __future__ import annotations

import hashlib
import unicodedata
from typing import BinaryIO

from ingest.errors import BadUpload, PayloadTooLarge, UnsupportedMediaType

_HEAD = 16
# The extensions each accepted type may carry; the first is given to a name that has none of them.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/tiff": (".tif", ".tiff"),
    "image/webp": (".webp",),
}
_NAME_LENGTH = 255


def served_name(filename: str, media_type: str) -> str:
    """The file name to keep and serve: no folders, no control or bidi characters, true extension.

    Control and formatting characters (U+202E and the other bidirectional controls among them)
    are dropped rather than refused: a name is what the sender's system gave the file.
    """
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))
    name = name.strip(" .") or "document"
    extensions = EXTENSIONS.get(media_type, ())
    if extensions and not name.lower().endswith(extensions):
        name += extensions[0]
    extension = "." + name.rsplit(".", 1)[1] if "." in name else ""
    if len(name) > _NAME_LENGTH:  # shorten the stem, keep the extension that was checked
        name = name[: _NAME_LENGTH - len(extension)] + extension
    return name


def sniff(head: bytes) -> str | None:
    """The media type of an allowed file from its first bytes, or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


class Intake:
    """Reads the uploaded plaintext once: counts it against the limit, hashes it, sniffs it."""

    def __init__(self, source: BinaryIO, max_bytes: int) -> None:
        self._source = source
        self._max_bytes = max_bytes
        self._sha256 = hashlib.sha256()
        self.size = 0
        self._pending = b""
        head = b""
        while len(head) < _HEAD:
            chunk = self._take(_HEAD - len(head))
            if not chunk:
                break
            head += chunk
        if not head:
            raise BadUpload("file: the file is empty")
        media_type = sniff(head)
        if media_type is None:
            raise UnsupportedMediaType(
                "file: only PDF, JPEG, PNG, TIFF and WebP files are accepted (judged by content)"
            )
        self.media_type = media_type
        self._pending = head

    def _take(self, size: int) -> bytes:
        chunk = self._source.read(size)
        self.size += len(chunk)
        if self.size > self._max_bytes:
            raise PayloadTooLarge(f"file: larger than the limit of {self._max_bytes} bytes")
        self._sha256.update(chunk)
        return chunk

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes of the plaintext (the sniffed head first)."""
        if self._pending:
            chunk, self._pending = self._pending, b""
            return chunk
        return self._take(size)

    @property
    def sha256(self) -> str:
        """SHA-256 of what was read so far (all of it, once read() returned b'')."""
        return self._sha256.hexdigest()
