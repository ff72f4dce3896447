"""HTTP byte ranges (RFC 9110 §14) for document content."""

from __future__ import annotations

import re

from storage.errors import DanganError

_SINGLE = re.compile(r"bytes=(\d*)-(\d*)")


class RangeNotSatisfiable(DanganError):
    """The requested range lies outside the document."""

    status = 416
    code = "range_not_satisfiable"


def _outside(size: int) -> RangeNotSatisfiable:
    return RangeNotSatisfiable(
        f"range: the document has {size} bytes", headers={"Content-Range": f"bytes */{size}"}
    )


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The [start, end) slice a Range header asks for, or None for the whole document.

    Multiple ranges and malformed headers are ignored (the whole document is served), as the
    RFC allows; a well-formed range outside the document is refused with 416.
    """
    if not header:
        return None
    match = _SINGLE.fullmatch(header.strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first == "":  # suffix range: the last N bytes
        length = int(last)
        if length == 0:
            raise _outside(size)
        return max(size - length, 0), size
    start = int(first)
    end = size if last == "" else min(int(last) + 1, size)
    if start >= size or end <= start:
        raise _outside(size)
    return start, end
