"""Streaming multipart/form-data: text fields are collected, the one file part is read as a stream.

Invariants: the file's bytes are never buffered whole nor written to disk (Starlette's own form
parser spools large files to a temporary file, which would put plaintext on disk); about one MiB
of the body is held at a time; text fields are bounded in size and number.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import anyio.from_thread
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from ingest.errors import BadUpload, PayloadTooLarge, UnsupportedMediaType

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

BATCH = 1 << 20  # body bytes handed to the parser at a time
MAX_FIELD_BYTES = 64 * 1024
MAX_FIELDS = 32
# Room for the form fields and part headers around the file itself.
FORM_OVERHEAD = 1024 * 1024
_NAME = re.compile(rb'\bname="([^"]*)"')
_FILENAME = re.compile(rb'\bfilename="([^"]*)"')


class RequestBody:
    """Reads an ASGI request body from a worker thread, one received chunk per call."""

    def __init__(self, request: Request) -> None:
        self._chunks: AsyncIterator[bytes] = request.stream().__aiter__()

    async def _next(self) -> bytes:
        # Gather received chunks up to BATCH per call: each call is a hop between the worker
        # thread and the event loop, and a hop per 64 KiB chunk halved upload throughput.
        parts: list[bytes] = []
        size = 0
        try:
            while size < BATCH:
                chunk = await self._chunks.__anext__()
                parts.append(chunk)
                size += len(chunk)
        except StopAsyncIteration:
            return b"".join(parts)  # the body is over; what was gathered is its last piece
        except ClientDisconnect:
            raise BadUpload("the client disconnected before the body was complete") from None
        return b"".join(parts)

    def read(self, size: int = -1) -> bytes:
        """The next piece of the body (up to about BATCH bytes), b'' at the end."""
        return anyio.from_thread.run(self._next)


class _Part:
    def __init__(self) -> None:
        self.disposition = b""
        self.name = ""
        self.filename: str | None = None
        self.data: deque[bytes] = deque()
        self.size = 0
        self.done = False


class StreamingForm:
    """A multipart/form-data body pulled on demand from `read()`."""

    def __init__(
        self, body: RequestBody, content_type: str, content_length: int | None, max_file: int
    ) -> None:
        kind, options = parse_options_header(content_type)
        if kind != b"multipart/form-data" or not options.get(b"boundary"):
            raise UnsupportedMediaType("the request must be multipart/form-data with a boundary")
        if content_length is not None and content_length > max_file + FORM_OVERHEAD:
            raise PayloadTooLarge(f"file: larger than the limit of {max_file} bytes")
        self._body = body
        self._parts: list[_Part] = []
        self._header_name = b""
        self._header_value = b""
        self._ended = False
        self._parser = MultipartParser(options[b"boundary"], self._callbacks())

    def _callbacks(self) -> MultipartCallbacks:
        def part_begin() -> None:
            if len(self._parts) >= MAX_FIELDS:
                raise BadUpload(f"the form has more than {MAX_FIELDS} parts")
            self._parts.append(_Part())

        def header_field(data: bytes, start: int, end: int) -> None:
            self._header_name += data[start:end]

        def header_value(data: bytes, start: int, end: int) -> None:
            self._header_value += data[start:end]

        def header_end() -> None:
            if self._header_name.lower() == b"content-disposition":
                self._parts[-1].disposition = self._header_value
            self._header_name, self._header_value = b"", b""

        def headers_finished() -> None:
            part = self._parts[-1]
            name, filename = _NAME.search(part.disposition), _FILENAME.search(part.disposition)
            part.name = name.group(1).decode("utf-8", "replace") if name else ""
            part.filename = filename.group(1).decode("utf-8", "replace") if filename else None
            if part.filename is not None and any(p.filename is not None for p in self._parts[:-1]):
                raise BadUpload("the form may carry only one file")

        def part_data(data: bytes, start: int, end: int) -> None:
            part = self._parts[-1]
            part.size += end - start
            if part.filename is None and part.size > MAX_FIELD_BYTES:
                raise BadUpload(f"{part.name}: longer than {MAX_FIELD_BYTES} bytes")
            part.data.append(bytes(data[start:end]))

        def part_end() -> None:
            self._parts[-1].done = True

        def end() -> None:
            self._ended = True

        return {
            "on_part_begin": part_begin,
            "on_header_field": header_field,
            "on_header_value": header_value,
            "on_header_end": header_end,
            "on_headers_finished": headers_finished,
            "on_part_data": part_data,
            "on_part_end": part_end,
            "on_end": end,
        }

    def _pump(self) -> bool:
        """Feed one more chunk of the body to the parser; False once the body is over."""
        chunk = self._body.read()
        if not chunk:
            if not self._ended:
                raise BadUpload("the multipart body ended before its closing boundary")
            return False
        try:
            self._parser.write(chunk)
        except MultipartParseError:
            raise BadUpload("the multipart body is malformed") from None
        return True

    def file(self, name: str = "file") -> FilePart:
        """The file part called `name`, ready to be read; fields before it are parsed on the way."""
        while True:
            for part in self._parts:
                if part.name == name and part.filename is not None:
                    return FilePart(self, part)
            if self._ended:
                raise BadUpload(f"{name}: the form has no file part called {name!r}")
            self._pump()

    def fields(self) -> dict[str, str]:
        """Every text field, once the rest of the body has been read."""
        while not self._ended:
            self._pump()
        fields: dict[str, str] = {}
        for part in self._parts:
            if part.filename is None:
                try:
                    fields[part.name] = b"".join(part.data).decode("utf-8")
                except UnicodeDecodeError:
                    raise BadUpload(f"{part.name}: not valid UTF-8") from None
        return fields


class FilePart:
    """The bytes of one file part, read as they arrive."""

    def __init__(self, form: StreamingForm, part: _Part) -> None:
        self._form = form
        self._part = part
        self.filename = _clean_filename(part.filename or "")

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes of the file (whatever has arrived), b'' at its end."""
        part = self._part
        while not part.data and not part.done:
            if not self._form._pump():
                break
        if not part.data:
            return b""
        chunk = part.data.popleft()
        if 0 <= size < len(chunk):
            part.data.appendleft(chunk[size:])
            chunk = chunk[:size]
        return chunk


def _clean_filename(raw: str) -> str:
    # Keep the last path component only, without control characters, for Content-Disposition.
    name = re.split(r"[\\/]", raw)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()
    return name[:255] or "document"
