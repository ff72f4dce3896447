"""Hostile files: small on disk, enormous once decoded; built by hand so their sizes are exact."""

from __future__ import annotations

import functools
import struct
import zlib

SIDE = 24_000  # pixels a side: 576 million pixels, 1.7 GB once decoded as RGB


def _deflated(size: int, byte: int = 0, prefix: bytes = b"") -> bytes:
    # `prefix`, then `size` copies of `byte`, as a zlib stream, in a moment: one fully flushed
    # deflate block of a MiB stands for every MiB (a full flush lets it be repeated), then the
    # adler-32 of it all, worked out from the prefix's.
    mebibyte = 1 << 20
    packer = zlib.compressobj(9)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(bytes([byte]) * mebibyte) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.compress(bytes([byte]) * (size % mebibyte)) + packer.flush()
    start = zlib.adler32(prefix)
    low = ((start & 0xFFFF) + byte * size) % 65521
    high = ((start >> 16) + size * (start & 0xFFFF) + byte * size * (size + 1) // 2) % 65521
    return head + block * (size // mebibyte) + tail[:-4] + struct.pack(">I", (high << 16) | low)


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


@functools.cache
def huge_png(side: int = SIDE) -> bytes:
    """A PNG of about 1.7 MB that declares side×side RGB pixels (all black)."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)  # 8 bit RGB, no interlace
    rows = _deflated(side * (1 + 3 * side))  # each row: filter byte 0, then the pixels
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


def _pdf(objects: list[bytes]) -> bytes:
    # Objects numbered from 1 in order; object 1 is the catalog.
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


def _one_page(page: bytes, *more: bytes) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page,
            *more,
        ]
    )


@functools.cache
def image_bomb_pdf(side: int = SIDE) -> bytes:
    """An A4 PDF whose one image declares side×side grey pixels (576 MB deflated to ~0.6 MB)."""
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>"
    )
    content = _stream(b"", b"q 500 0 0 500 40 200 cm /Im0 Do Q")
    image = _stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Filter /FlateDecode" % (side, side),
        _deflated(side * side),
    )
    return _one_page(page, content, image)


@functools.cache
def content_bomb_pdf(megabytes: int = 400) -> bytes:
    """An A4 PDF whose page content deflates from well under 1 MB to `megabytes` of spaces."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    data = _deflated(megabytes << 20, ord(" "))
    return _one_page(page, _stream(b"/Filter /FlateDecode", data))


def huge_page_pdf() -> bytes:
    """A tiny PDF whose one page claims to be a kilometre long and wide."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 2834645 2834645] /Contents 4 0 R >>"
    return _one_page(page, _stream(b"", b"0 0 m 2834645 2834645 l S"))


@functools.cache
def object_stream_bomb_pdf(megabytes: int = 1024) -> bytes:
    """A PDF whose page sits in an object stream that deflates to `megabytes` (~1 MB on disk)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    packed = _deflated(megabytes << 20, ord(" "), prefix=b"3 0 " + page)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (4, _stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", packed)),
    ]:
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    # Objects in an object stream are found through a cross-reference stream: type 2 is object 3.
    offsets[5] = len(out)
    rows = [(0, 0, 65535), (1, offsets[1], 0), (1, offsets[2], 0), (2, 4, 0), (1, offsets[4], 0)]
    rows.append((1, offsets[5], 0))
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += b"5 0 obj\n" + _stream(b"/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R", table)
    out += b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[5]
    return bytes(out)
