"""The server's CPU per request: 8 clients looping over 1 MiB uploads or downloads, or reads of
a document's metadata (`read`: no content, one audit event), for a while.

Where `bench.throughput` compares Dangan with its baselines, this measures one of Dangan's two
small requests alone, long enough for a steady figure and a py-spy profile, to tell whether a
change to the request path made it cheaper. Production configuration (PostgreSQL, SeaweedFS,
OpenBao; the API server with DANGAN_BACKGROUND=false, as beside workers, so the background
reading of uploads is not counted as the request's). Compare two versions of the code by
running this on each, one after the other.

    .venv/bin/python -m bench.per_request download 15
    BENCH_PROFILE=/tmp/dl.txt .venv/bin/python -m bench.per_request download 15
    .venv/bin/python -m bench.profile /tmp/dl.txt
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.harness import archivist_with_customer, dangan, process_cpu, production_stack
from bench.throughput import MiB, _profiled

CLIENTS = 8
FILES = 40  # uploaded first; the download loop reads them in turn


def main() -> None:
    """Loop the chosen request from every client and print its CPU cost."""
    kind = sys.argv[1] if len(sys.argv) > 1 else "download"
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 15.0
    if kind not in ("upload", "download", "read"):
        raise SystemExit("usage: python -m bench.per_request upload|download|read [seconds]")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with (
            production_stack(root) as (env, _, s3, kms),
            dangan(env, root / "log") as (base, pid),
        ):
            owner, customer = archivist_with_customer(base)
            clients = [
                httpx.Client(base_url=base, headers=owner.headers, timeout=600)
                for _ in range(CLIENTS)
            ]

            def upload(client: httpx.Client) -> str:
                data = b"%PDF-1.7\n" + os.urandom(MiB - 9)
                answer = client.post(
                    f"/api/v1/customers/{customer}/documents",
                    data={"doc_type": "other", "title": "bench"},
                    files={"file": ("bench.pdf", io.BytesIO(data), "application/pdf")},
                )
                answer.raise_for_status()
                return str(answer.json()["id"])

            documents = [upload(clients[0]) for _ in range(FILES)]
            done = [0] * CLIENTS
            stop = time.monotonic() + seconds

            def loop(index: int) -> None:
                client, turn = clients[index], index
                while time.monotonic() < stop:
                    if kind == "upload":
                        upload(client)
                    elif kind == "read":
                        got = client.get(f"/api/v1/documents/{documents[turn % FILES]}")
                        if got.status_code != 200:
                            raise RuntimeError(f"read answered {got.status_code}")
                    else:
                        got = client.get(f"/api/v1/documents/{documents[turn % FILES]}/content")
                        if got.status_code != 200 or len(got.content) != MiB:
                            raise RuntimeError(f"download answered {got.status_code}")
                    done[index] += 1
                    turn += CLIENTS

            with _profiled(pid, True):
                server, weed, bao = process_cpu(pid), process_cpu(s3.pid), process_cpu(kms.pid)
                started = time.monotonic()
                threads = [threading.Thread(target=loop, args=(i,)) for i in range(CLIENTS)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                server = process_cpu(pid) - server
                weed = process_cpu(s3.pid) - weed
                bao = process_cpu(kms.pid) - bao
                elapsed = time.monotonic() - started
            count = sum(done)
            print(
                f"{kind}s, {CLIENTS} clients, {elapsed:.0f} s:"
                f" {count / elapsed:.1f} a second;"
                f" CPU ms per request: server {1000 * server / count:.2f},"
                f" SeaweedFS {1000 * weed / count:.2f}, OpenBao {1000 * bao / count:.2f};"
                f" load average {os.getloadavg()[0]:.1f}"
            )


if __name__ == "__main__":
    main()
