"""The evaluation corpus: public statements listed in a manifest, hand-read truth, and scans.

    .venv/bin/python -m bench.corpus fetch     # download the documents not in git into the cache
    .venv/bin/python -m bench.corpus fetch --mirror DIR   # copy them from local git snapshots
    .venv/bin/python -m bench.corpus check     # accounting identities on every truth record
    .venv/bin/python -m bench.corpus scans     # synthetic scans of the digital documents
    .venv/bin/python -m bench.corpus list      # what is listed, what is here, what has truth

Documents whose licence lets us redistribute them are committed (`committed` in the manifest);
the others are listed by source and hash only and fetched into `DANGAN_CORPUS_DIR` (default
`~/.cache/dangan/corpus`), outside git. A download is kept only when its sha256 (or, for files
not hashed here yet, the git blob id in the public repository) matches the manifest; the few
listed with neither are kept with a warning that prints the sha256 to pin.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess  # nosec B404: runs git on snapshots only, with fixed arguments
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench import truth_check

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests" / "data" / "corpus" / "manifest.json"
TRUTH_FILES = (
    ROOT / "tests" / "data" / "statements" / "truth.json",
    ROOT / "tests" / "data" / "corpus" / "truth.json",
)
RAW = "https://raw.githubusercontent.com"

Document = dict[str, Any]


def cache_dir() -> Path:
    """Where fetched documents and synthetic scans live: never inside the repository."""
    configured = os.environ.get("DANGAN_CORPUS_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "dangan" / "corpus"


def documents(manifest: Path = MANIFEST) -> list[Document]:
    """The manifest's documents, in its order."""
    listed: list[Document] = json.loads(manifest.read_text())["documents"]
    return listed


def truths(files: tuple[Path, ...] = TRUTH_FILES) -> dict[str, dict[str, Any]]:
    """Every hand-read truth record, by the file name of its document."""
    records: dict[str, dict[str, Any]] = {}
    for path in files:
        for record in json.loads(path.read_text()):
            records[record["file"]] = record
    return records


def locate(document: Document) -> Path | None:
    """The document's bytes on this machine: committed in the repository, else in the cache."""
    if document.get("committed"):
        path = ROOT / document["committed"]
        return path if path.exists() else None
    path = cache_dir() / document["file"]
    return path if path.exists() else None


def git_blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob: pins a file we could not hash ourselves yet."""
    header = f"blob {len(data)}\0".encode()
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


def verified(document: Document, data: bytes) -> bool:
    """Whether the bytes are the document the manifest lists."""
    if document.get("sha256"):
        return hashlib.sha256(data).hexdigest() == str(document["sha256"])
    if document["source"].get("git_blob"):
        return git_blob_id(data) == str(document["source"]["git_blob"])
    return False


def source_url(document: Document) -> str | None:
    """Where the document can be downloaded from."""
    source = document["source"]
    if source.get("url"):
        url: str = source["url"]
        return url
    if source.get("repo") and source.get("commit") and source.get("path"):
        path = urllib.parse.quote(source["path"])
        return f"{RAW}/{source['repo']}/{source['commit']}/{path}"
    return None


class Unavailable(Exception):
    """The document's bytes could not be had from its source; the message says why."""


def download(document: Document) -> bytes:
    """The document's bytes from its public address."""
    url = source_url(document)
    if url is None:
        raise Unavailable("no download address listed")
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # nosec B310: https only
            data: bytes = response.read()
    except OSError as error:
        raise Unavailable(f"download failed ({type(error).__name__})") from error
    return data


def snapshot_dir(mirror: Path, repo: str) -> Path | None:
    """The bare git directory of a repository snapshot under `mirror` (`owner+name[/repo]`)."""
    base = mirror / repo.replace("/", "+")
    for candidate in (base / "repo", base, base.with_suffix(".git")):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def from_snapshot(document: Document, mirror: Path) -> bytes:
    """The document's bytes out of a local git snapshot of its repository: no network."""
    source = document["source"]
    if not source.get("repo"):
        raise Unavailable("listed by address, not by repository")
    git_dir = snapshot_dir(mirror, source["repo"])
    if git_dir is None:
        raise Unavailable(f"no snapshot of {source['repo']} under {mirror}")
    # The blob id names the exact bytes even where the snapshot lacks the listed commit.
    objects = [source.get("git_blob"), f"{source.get('commit')}:{source.get('path')}"]
    for name in filter(None, objects):
        done = subprocess.run(  # nosec B603 B607: git with fixed arguments
            ["git", "--git-dir", str(git_dir), "cat-file", "blob", name],
            capture_output=True,
            check=False,
        )
        if done.returncode == 0:
            if done.stdout.startswith(b"version https://git-lfs"):
                raise Unavailable("the snapshot holds a Git LFS pointer, not the file")
            return done.stdout
    raise Unavailable("not in the snapshot (files of 4 MiB and more are left out of them)")


def fetch(selected: list[Document], mirror: Path | None = None) -> int:
    """Bring every selected document that is not here yet into the cache; the number that failed."""
    target = cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    failed = 0
    for document in selected:
        if locate(document) is not None:
            continue
        try:
            data = download(document) if mirror is None else from_snapshot(document, mirror)
        except Unavailable as error:
            print(f"  {document['file']}: {error}")
            failed += 1
            continue
        pinned = document.get("sha256") or document["source"].get("git_blob")
        if pinned and not verified(document, data):
            print(f"  {document['file']}: bytes differ from the manifest's hash; not kept")
            failed += 1
            continue
        if not pinned:
            digest = hashlib.sha256(data).hexdigest()
            print(f"  {document['file']}: NOT PINNED; pin it in the manifest: sha256 {digest}")
        partial = target / (document["file"] + ".part")
        partial.write_bytes(data)
        partial.replace(target / document["file"])
        print(f"  {document['file']}: {len(data):,} bytes, verified")
    return failed


def check(records: dict[str, dict[str, Any]]) -> int:
    """Print what the identities say about every truth record; the number of records in error."""
    bad = 0
    for name, record in records.items():
        outcomes = truth_check.check_record(record)
        found = truth_check.problems(record)
        items = sum(len(s["items"]) for s in record["statements"])
        held = sum(o.ok for o in outcomes)
        status = "ok" if not found else "ERROR"
        print(f"{status:5} {name}: {items} items, {held} of {len(outcomes)} identities hold")
        for problem in found:
            print(f"      {problem}")
        bad += bool(found)
    return bad


def listing(selected: list[Document], records: dict[str, dict[str, Any]]) -> None:
    """One line per document: kind, split, whether its bytes and truth are here."""
    for document in selected:
        here = "here" if locate(document) else "missing"
        truth = "truth" if document["file"] in records else "no truth"
        print(
            f"{document['file']:45} {document['group']:13} {document['text_layer']:17} "
            f"{document['split']:11} {here:7} {truth}"
        )


def main(argv: list[str] | None = None) -> int:
    """Run one of the corpus commands."""
    parser = argparse.ArgumentParser(prog="bench.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["fetch", "check", "scans", "list"])
    parser.add_argument("--only", nargs="*", help="file names to limit the command to")
    parser.add_argument(
        "--mirror",
        type=Path,
        help="fetch: read documents from git snapshots in DIR/owner+name instead of the network",
    )
    args = parser.parse_args(argv)
    selected = [d for d in documents() if not args.only or d["file"] in args.only]
    records = truths()
    if args.command == "fetch":
        failed = fetch(selected, args.mirror)
        print(f"cache: {cache_dir()}; {failed} not fetched")
        return 1 if failed else 0
    if args.command == "check":
        return 1 if check(records) else 0
    if args.command == "scans":
        from bench import synthetic_scans

        return synthetic_scans.write_all(selected, records, cache_dir() / "scans")
    listing(selected, records)
    return 0


if __name__ == "__main__":
    sys.exit(main())
