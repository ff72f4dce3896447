"""Verify a Dangan audit export bundle: python3 verify.py BUNDLE.zip [--public-key KEY.pem].

Standalone on purpose: it needs only Python 3.9+ and the `cryptography` package, so an auditor
can check a bundle on another machine without Dangan. The same file is `dangan audit verify`.
It prints PASS, or FAIL with the first broken position and why, and exits non-zero on failure.

What it proves: the manifest is signed by the log key and names the hash of every file; every
line of events.jsonl is either an event's exact bytes or the leaf hash of an event the filter
left out, and matches the leaf and chain hashes chain.txt lists for its position (so the first
changed, dropped, added or moved line is named); and the chain recomputed from the first event
reaches exactly the heads of the signed checkpoints, the last of which covers every line.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import zipfile
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

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


def verify(path: str, trusted_key: bytes | None = None) -> None:
    """Raise Failure at the first problem in the bundle at `path`."""
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
        _manifest(bundle, key)


def main(argv: list[str] | None = None) -> int:
    """Command line: prints PASS or FAIL and returns the exit status."""
    parser = argparse.ArgumentParser(description="Verify a Dangan audit export bundle.")
    parser.add_argument("bundle")
    parser.add_argument("--public-key", help="the log's public key, from a source you trust")
    args = parser.parse_args(argv)
    trusted = None
    if args.public_key:
        with open(args.public_key, "rb") as handle:
            trusted = handle.read()
    try:
        verify(args.bundle, trusted)
    except Failure as failure:
        print(f"FAIL at {failure.where}: {failure.reason}")
        return 1
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        print(f"FAIL: the bundle is malformed ({type(error).__name__}: {error})")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
