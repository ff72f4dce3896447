"""Test data: valid codes, real sample files, recognisable plaintext."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from ingest.uscc import ALPHABET, check_character

DATA = Path(__file__).parent / "data"
MARKER = b"PLAINTEXT-MARKER-\xe5\xae\xa2\xe6\x88\xb7"  # "客户" keeps it recognisable in UTF-8


def random_uscc() -> str:
    """A valid unified social credit code nobody else in the test run uses."""
    body = "91" + "".join(secrets.choice("0123456789") for _ in range(6))
    body += "".join(secrets.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def sample_pdf() -> bytes:
    """A real financial-statement scan (small), kept in tests/data."""
    return (DATA / "en_ph_scan_ideal_marketing_2022_fs.pdf").read_bytes()


def fake_file(kind: str, size: int) -> bytes:
    """`size` bytes that sniff as `kind` (pdf or jpeg), with the marker repeated through them."""
    head = {"pdf": b"%PDF-1.7\n", "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"}[kind]
    filler = (MARKER + os.urandom(64)) * (size // (len(MARKER) + 64) + 1)
    return (head + filler)[:size]
