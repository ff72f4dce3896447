"""Verify a Dangan audit export bundle:
python3 verify.py BUNDLE.zip [--public-key KEY.pem] [--anchor ANCHOR]

Standalone on purpose: it needs only Python 3.9+ and the `cryptography` package, so an auditor
can check a bundle on another machine without Dangan. The same file is `dangan audit verify`.
It prints PASS with the fingerprint of the key that signed the bundle, or FAIL with the first
broken position and why, and exits non-zero on failure.

What it proves: the manifest is signed by the log key and names the hash of every file; every
line of events.jsonl is either an event's exact bytes or the leaf hash of an event the filter
left out, and matches the leaf and chain hashes chain.txt lists for its position (so the first
changed, dropped, added or moved line is named); and the chain recomputed from the first event
reaches exactly the heads of the signed checkpoints, the last of which covers every line.

Whoever can write to the database can also cut the log's tail together with its checkpoints;
the bundle then verifies on its own. An anchor catches that: a signed checkpoint kept outside
the database (printed by `dangan audit checkpoint`, fetched from GET /api/v1/audit/checkpoint,
or the lines of the file DANGAN_AUDIT_ANCHOR_FILE names), given as a file or as its JSON text.
Each anchor must be signed by the log key; one no larger than the bundle must have the same
head at its size; one larger, signed before the bundle's last checkpoint, means the log was
cut. Anchors signed later say nothing of this bundle, but at least one must speak.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_public_key,
)

GENESIS = bytes(32)


@dataclass
class Failure(Exception):
    """The first thing that did not verify."""

    where: str
    reason: str


def _verify_signature(key: Ed25519PublicKey, signature: str, data: bytes, where: str) -> None:
    try:
        key.verify(base64.b64decode(signature), data)
    except (InvalidSignature, ValueError):
        raise Failure(where, "signature does not verify with the log key") from None


def _manifest(bundle: zipfile.ZipFile, key: Ed25519PublicKey) -> dict[str, str]:
    manifest = bundle.read("manifest.json")
    _verify_signature(key, bundle.read("manifest.sig").decode(), manifest, "manifest")
    files: dict[str, str] = json.loads(manifest)["files"]
    for name, digest in files.items():
        if hashlib.sha256(bundle.read(name)).hexdigest() != digest:
            raise Failure(name, "file does not match the hash in the manifest")
    listed = set(files) | {"manifest.json", "manifest.sig"}
    extra = sorted(set(bundle.namelist()) - listed)
    if extra:
        raise Failure(extra[0], "file is not named in the manifest")
    return files


def _leaf(position: int, line: bytes) -> bytes:
    try:
        record = json.loads(line)
    except ValueError:
        raise Failure(f"position {position}", "line is not JSON") from None
    if not isinstance(record, dict):
        raise Failure(f"position {position}", "line is not an event")
    if set(record) == {"leaf"}:  # an event the filter left out: only its leaf hash
        try:
            return bytes.fromhex(record["leaf"])
        except (TypeError, ValueError):
            raise Failure(f"position {position}", "leaf is not a hash") from None
    return hashlib.sha256(b"\x00" + line).digest()


def _chain(lines: list[bytes], listed: list[bytes]) -> list[bytes]:
    """The chain after each line, checked line by line against the exported hashes."""
    heads, chain = [], GENESIS
    for position, line in enumerate(lines, start=1):
        leaf = _leaf(position, line)
        if position > len(listed):
            raise Failure(f"position {position}", "a line was added")
        want_leaf, want_chain = listed[position - 1].split()
        if leaf.hex() != want_leaf.decode():
            raise Failure(f"position {position}", "event changed, dropped, added or moved here")
        chain = hashlib.sha256(b"\x01" + chain + leaf).digest()
        if chain.hex() != want_chain.decode():
            raise Failure(f"position {position}", "chain does not continue here")
        heads.append(chain)
    if len(lines) < len(listed):
        raise Failure(f"position {len(lines) + 1}", "events are missing")
    return heads


def _anchored(
    key: Ed25519PublicKey, anchors: list[dict[str, Any]], heads: list[bytes], end: str
) -> None:
    """Check that the bundle's chain contains or extends every anchor that can speak of it."""
    if not anchors:
        raise Failure("anchor", "no anchor given")
    spoke = False
    for point in anchors:
        body = point["body"].encode()
        _verify_signature(key, point["signature"], body, "anchor")
        fields = json.loads(body)
        size = fields["size"]
        if size <= len(heads):
            if heads[size - 1].hex() != fields["head"]:
                raise Failure(
                    f"position {size}", "the log was rewritten: the anchored head differs"
                )
        elif fields["at"] <= end:  # same format, so the text order is the time order
            raise Failure(
                "anchor", f"the log was cut: anchored size {size}, bundle ends at {len(heads)}"
            )
        else:
            continue
        spoke = True
    if not spoke:
        raise Failure("anchor", "every anchor was signed after the bundle; export again")


def read_anchors(value: str) -> list[dict[str, Any]]:
    """Anchors from JSON text or a file of it: one checkpoint, or one per line."""
    text = value if value.lstrip().startswith("{") else Path(value).read_text(encoding="utf-8")
    try:
        return [json.loads(text)]
    except ValueError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the key's DER form, as `dangan audit public-key` prints it."""
    der = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return "SHA256:" + hashlib.sha256(der).hexdigest()


def verify(
    path: str, trusted_key: bytes | None = None, anchors: list[dict[str, Any]] | None = None
) -> str:
    """Raise Failure at the first problem in the bundle at `path` (or with the anchors); return
    the fingerprint of the key that signed it."""
    with zipfile.ZipFile(path) as bundle:
        pem = bundle.read("public_key.pem")
        if trusted_key is not None and trusted_key.strip() != pem.strip():
            raise Failure("public_key.pem", "not the log key you trust")
        key = load_pem_public_key(pem)
        if not isinstance(key, Ed25519PublicKey):
            raise Failure("public_key.pem", "not an Ed25519 key")
        # Events first, so a changed bundle is reported at the position that changed; the
        # manifest, checked last, catches whatever else was touched.
        lines = bundle.read("events.jsonl").splitlines()
        heads = _chain(lines, bundle.read("chain.txt").splitlines())
        previous = None
        checkpoints = [json.loads(row) for row in bundle.read("checkpoints.jsonl").splitlines()]
        if not checkpoints:
            raise Failure("checkpoints.jsonl", "no signed checkpoint")
        for point in checkpoints:
            body = point["body"].encode()
            _verify_signature(key, point["signature"], body, f"checkpoint {point['body']}")
            fields = json.loads(body)
            size = fields["size"]
            if previous is not None and fields["previous"] != previous:
                raise Failure(f"position {size}", "checkpoints are not linked in order")
            previous = hashlib.sha256(body).hexdigest()
            if size > len(heads):
                raise Failure(f"position {len(heads) + 1}", "events are missing at the end")
            if heads[size - 1].hex() != fields["head"]:
                # The hash lists were rewritten to match edited events; only the signature holds.
                raise Failure(f"position {size}", "chain does not match the signed checkpoint")
        if size != len(heads):
            raise Failure(f"position {size + 1}", "events after the last signed checkpoint")
        if anchors is not None:
            _anchored(key, anchors, heads, fields["at"])
        _manifest(bundle, key)
    return fingerprint(key)


def main(argv: list[str] | None = None) -> int:
    """Command line: prints PASS or FAIL and returns the exit status."""
    parser = argparse.ArgumentParser(description="Verify a Dangan audit export bundle.")
    parser.add_argument("bundle")
    parser.add_argument("--public-key", help="the log's public key, from a source you trust")
    parser.add_argument(
        "--anchor", help="a signed checkpoint kept outside the database: a file or its JSON"
    )
    args = parser.parse_args(argv)
    trusted = None
    if args.public_key:
        with open(args.public_key, "rb") as handle:
            trusted = handle.read()
    try:
        anchors = None if args.anchor is None else read_anchors(args.anchor)
    except (OSError, ValueError) as error:
        print(f"FAIL: the anchor cannot be read ({type(error).__name__})")
        return 1
    try:
        signer = verify(args.bundle, trusted, anchors)
    except Failure as failure:
        print(f"FAIL at {failure.where}: {failure.reason}")
        return 1
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile) as error:
        print(f"FAIL: the bundle is malformed ({type(error).__name__}: {error})")
        return 1
    if trusted is None:
        print(f"PASS, signed by the key inside the bundle, {signer}: that proves nothing unless")
        print(
            "  it is the log's key; compare it with `dangan audit public-key` or give --public-key"
        )
    else:
        print(f"PASS, signed by the key given with --public-key, {signer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
