"""Where a server's CPU went: a summary of a py-spy `raw` profile (one stack and count a line).

Each sample is put under the kind of work of its innermost frame that names one (SQL, the key
service, thread hops, ...), and the frames on the stack most often are listed:

    .venv/bin/python -m bench.profile /tmp/dangan.txt [how many frames]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

# The kinds of work a sample is counted under: the first frame from the innermost that
# contains one of a kind's marks decides.
KINDS = [
    ("key service (hvac, requests)", ("TransitKeyProvider", "hvac/")),
    ("AES-GCM and segments", ("storage/crypto.py",)),
    ("request body parsing", ("archive_api/multipart.py",)),
    ("object store (minio, urllib3)", ("minio/", "S3ObjectStore")),
    ("audit sequencer and workers", ("Sequencer", "archive_api/worker.py")),
    ("SQL (SQLAlchemy, psycopg)", ("sqlalchemy/", "psycopg/")),
    ("thread hops (anyio, queues)", ("Condition.notify", "Queue.", "to_thread", "from_thread")),
    ("response sending", ("StreamingResponse", "_SelectorSocketTransport", "httptools_impl")),
    ("FastAPI dependencies, validation", ("fastapi/", "pydantic")),
]
OTHER = "other (event loop, middleware, routes)"


def kind_of(frames: list[str]) -> str:
    """The kind of work of one stack."""
    for frame in reversed(frames):
        for kind, marks in KINDS:
            if any(mark in frame for mark in marks):
                return kind
    return OTHER


def summary(lines: list[str], top: int) -> str:
    """Shares of samples by kind of work, and the `top` frames by inclusive share."""
    kinds: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in lines:
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        samples = int(count)
        total += samples
        kinds[kind_of(frames)] += samples
        for frame in set(frames):
            inclusive[frame] += samples
    out = [f"{total} samples", "", "by kind of work:"]
    out += [f"{n / total:6.1%}  {kind}" for kind, n in kinds.most_common()]
    out += ["", "frames on the stack (inclusive):"]
    out += [f"{n / total:6.1%}  {frame}" for frame, n in inclusive.most_common(top)]
    return "\n".join(out)


if __name__ == "__main__":
    how_many = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    print(summary(Path(sys.argv[1]).read_text().splitlines(), how_many))
