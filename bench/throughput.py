"""Upload and download throughput: Dangan against a raw minio put/get and the thin API.

All three talk to the same SeaweedFS in the same run, phases interleaved, medians reported as
MB/s and as ratios against the targets of issues 2 and 16: 1 MiB files with 8 clients sending at
once (each phase: every client uploads or downloads its files), 100 MiB files one at a time.
Dangan runs in production configuration (PostgreSQL, SeaweedFS, OpenBao), its API server with
DANGAN_BACKGROUND=false as deployed beside workers; after the phases one `dangan worker` does
what the uploads left (reading each document for search, chaining the audit events) and its cost
is printed apart.

Every process shares the machine's cores, so each operation's CPU time is also reported per
MiB: the whole machine's, SeaweedFS's, the HTTP server's (Dangan or the thin API) and the
benchmark client's. Where the machine is busy throughout, throughput is the inverse of that.

    .venv/bin/python -m bench.throughput
    .venv/bin/python -m bench.throughput 1  # only the 1 MiB run
    .venv/bin/python -m bench.throughput --replicas=2  # two servers each, as the Helm chart
    BENCH_PROFILE=/tmp/dangan.txt .venv/bin/python -m bench.throughput 1  # with a py-spy profile
"""

from __future__ import annotations

import io
import os
import signal
import statistics
import subprocess  # py-spy, when asked for a profile  # nosec B404
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import urllib3
from minio import Minio

from bench.harness import (
    archivist_with_customer,
    dangan,
    drain_background,
    machine_cpu,
    process,
    process_cpu,
    production_stack,
    tree_cpu,
)
from tests.servers import free_port

MiB = 1 << 20
# (size, clients at once, files per client and round, rounds): issue 16 judges 1 MiB with 8
# clients, and 100 MiB downloads of one client against the raw get.
RUNS = [(1 * MiB, 8, 4, 5), (100 * MiB, 1, 1, 5)]
# `--replicas=N`: N Dangan servers (clients spread over them) against the thin API with N
# uvicorn workers, the same number of processes each; other arguments are sizes in MiB.
REPLICAS = next((int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--replicas=")), 1)
SIZES = [a for a in sys.argv[1:] if not a.startswith("--")]
SEALED = REPLICAS == 1
TARGETS = {
    1 * MiB: {"upload vs thin": 0.7, "download vs thin": 0.5},
    100 * MiB: {"upload vs thin": 0.9, "upload vs raw": 0.7, "download vs raw": 0.7},
}
PARTS = ("machine", "weed", "server", "client")


@dataclass
class Parties:
    """The clients of the three ways in, and the processes whose CPU is counted."""

    raw: Minio
    client: httpx.Client  # the archivist's, for its token
    customer: str
    thin: list[httpx.Client]  # one per client thread
    dangan: list[httpx.Client]
    pids: dict[str, list[int]]  # weed, thin, dangan: each server's processes
    times: dict[str, list[float]] = field(default_factory=dict)  # per phase
    cpu: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def clients(self) -> int:
        """How many clients send at once."""
        return len(self.dangan)

    def timed(self, name: str, server: str | None, action: Callable[[], str]) -> str:
        """Run one phase, adding its wall time and each party's CPU time under `name`."""

        def sample() -> dict[str, float]:
            return {
                "machine": machine_cpu(),
                "weed": sum(process_cpu(pid) for pid in self.pids["weed"]),
                # With its children: the thin API's uvicorn workers.
                "server": sum(tree_cpu(pid) for pid in self.pids[server]) if server else 0.0,
                "client": time.process_time(),
            }

        before, start = sample(), time.perf_counter()
        result = action()
        elapsed, after = time.perf_counter() - start, sample()
        self.times.setdefault(name, []).append(elapsed)
        spent = self.cpu.setdefault(name, dict.fromkeys(PARTS, 0.0))
        for part in PARTS:
            spent[part] += after[part] - before[part]
        return result


def _count(response: urllib3.BaseHTTPResponse) -> int:
    """The bytes of a streamed response, counted as they arrive, never joined."""
    try:
        if response.status != 200:
            raise RuntimeError(f"download failed with {response.status}")
        return sum(len(chunk) for chunk in response.stream(MiB))
    finally:
        response.release_conn()


# All three downloads are read by urllib3, the HTTP library of the minio SDK, so the client's
# share of the CPU is the same for each: httpx spent 0.8 ms more per MiB than urllib3 here.
_HTTP = urllib3.PoolManager(maxsize=8)


def _drain(url: str, headers: dict[str, str] | None = None) -> int:
    return _count(_HTTP.request("GET", url, headers=headers, preload_content=False))


@contextmanager
def _replicas(env: dict[str, str], root: Path) -> Iterator[list[tuple[str, int]]]:
    """REPLICAS `dangan serve` processes on one database and store, as the Helm chart's
    replicas; each (base URL, pid)."""
    with ExitStack() as stack:
        yield [stack.enter_context(dangan(env, root / f"dangan-{n}.log")) for n in range(REPLICAS)]


@contextmanager
def _profiled(pid: int, wanted: bool) -> Iterator[None]:
    """Record the server's stacks with py-spy while the block runs, if BENCH_PROFILE names a file.

    Summarised by `python -m bench.profile FILE`. py-spy samples without stopping the server
    (`--nonblocking`) and only the thread holding the GIL (`--gil`): waits on sockets and locks
    release it, and py-spy cannot tell them from work otherwise.
    """
    target = os.environ.get("BENCH_PROFILE")
    if not wanted or not target:
        yield
        return
    spy = Path(sys.executable).parent / "py-spy"
    argv = [str(spy), "record", "--pid", str(pid), "--format", "raw", "--gil", "--rate", "250"]
    recorder = subprocess.Popen(  # fixed arguments  # nosec B603
        [*argv, "--nonblocking", "--output", target], stdout=subprocess.DEVNULL
    )
    time.sleep(1)  # attached before the first request
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
        recorder.wait(timeout=60)


def main() -> None:
    """Run the comparison and print the table."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # The API server alone, as deployed with workers (docs/operations.md): what its
        # uploads leave to the background is done by a worker after the phases, and reported.
        with production_stack(root) as (env, _, s3, _):
            thin_port = free_port()
            thin_env = {
                **env,  # the sealed floor uses Dangan's object store and key service settings
                "BENCH_S3_ENDPOINT": s3.endpoint,
                "BENCH_S3_ACCESS_KEY": s3.access_key,
                "BENCH_S3_SECRET_KEY": s3.secret_key,
            }
            thin_argv = [
                str(Path(sys.executable).parent / "uvicorn"), "bench.thin_api:app",
                "--host", "127.0.0.1", "--port", str(thin_port), "--log-level", "warning",
                "--workers", str(REPLICAS),
            ]  # fmt: skip
            thin_base = f"http://127.0.0.1:{thin_port}"
            with (
                _replicas(env, root) as servers,
                process(thin_argv, thin_env, f"{thin_base}/docs", root / "thin.log") as thin_pid,
            ):
                (base, dangan_pid), bases = servers[0], [b for b, _ in servers]
                raw = Minio(
                    endpoint=s3.endpoint,
                    access_key=s3.access_key,
                    secret_key=s3.secret_key,
                    secure=False,
                )
                if not raw.bucket_exists(bucket_name="raw"):
                    raw.make_bucket(bucket_name="raw")
                client, customer = archivist_with_customer(base)
                pids = {"weed": [s3.pid], "thin": [thin_pid], "dangan": [p for _, p in servers]}
                # Sizes in MiB on the command line run only those.
                wanted = {int(arg) * MiB for arg in SIZES} or {run[0] for run in RUNS}
                for size, clients, per_client, rounds in RUNS:
                    if size not in wanted:
                        continue
                    thin = [httpx.Client(base_url=thin_base, timeout=600) for _ in range(clients)]
                    # Spread over the replicas as a load balancer would, one client to each.
                    dangan_clients = [
                        httpx.Client(
                            base_url=bases[i % REPLICAS], headers=client.headers, timeout=600
                        )
                        for i in range(clients)
                    ]
                    parties = Parties(raw, client, customer, thin, dangan_clients, pids)
                    # One round unmeasured first: SeaweedFS allocates each bucket's first volumes
                    # on its first writes (a second or so), which no later round pays.
                    _measure(size, per_client, range(-1, 0), parties)
                    parties.times.clear()
                    parties.cpu.clear()
                    with _profiled(dangan_pid, size == MiB):
                        _measure(size, per_client, range(rounds), parties)
                    _report(size, per_client * clients, rounds, parties)
                left = drain_background(env, root / "worker.log")
                print(
                    f"\nleft to the background: {left.readings} documents to read, "
                    f"{left.events} audit events to chain; one `dangan worker` took "
                    f"{left.seconds:.1f} s and {left.worker_cpu:.1f} s of CPU "
                    f"({1000 * left.worker_cpu / max(left.readings, 1):.1f} ms per document)"
                )


def _phase(
    parties: Parties, name: str, server: str | None, work: Callable[[int], list[str]]
) -> list[list[str]]:
    """Run `work(client)` in every client's thread at once, timed and counted as one phase."""
    results: list[list[str]] = [[] for _ in range(parties.clients)]

    def run_all() -> str:
        def one(index: int) -> None:
            results[index] = work(index)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(parties.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if any(not done for done in results):
            raise RuntimeError(f"{name}: a client failed")
        return name

    parties.timed(name, server, run_all)
    return results


def _measure(size: int, per_client: int, rounds: range, parties: Parties) -> None:
    raw, customer, timed_clients = parties.raw, parties.customer, parties.clients
    url = f"/api/v1/customers/{customer}/documents"
    auth = {"Authorization": parties.client.headers["Authorization"]}
    fields = {"doc_type": "other", "title": "bench"}
    for round_ in rounds:
        # New bytes each time (no duplicates), made before the clock starts.
        payloads = [
            [b"%PDF-1.7\n" + os.urandom(size - 9) for _ in range(per_client)]
            for _ in range(timed_clients)
        ]

        def files(data: bytes) -> dict[str, tuple[str, io.BytesIO, str]]:
            # A file object, as a browser or curl streams a file: given one big bytes object,
            # httpcore re-slices the unsent rest after every send() (quadratic copying that cost
            # the client 7 ms of CPU per MiB, taken from the cores the servers share).
            return {"file": ("bench.pdf", io.BytesIO(data), "application/pdf")}

        def raw_put(c: int) -> list[str]:
            return [
                raw.put_object(
                    bucket_name="raw", object_name=f"raw-{round_}-{c}-{i}",
                    data=io.BytesIO(data), length=size,
                ).object_name
                for i, data in enumerate(payloads[c])
            ]  # fmt: skip

        def thin_upload(c: int) -> list[str]:
            thin = parties.thin[c]
            return [thin.post("/upload", files=files(data)).json()["id"] for data in payloads[c]]

        def dangan_upload(c: int) -> list[str]:
            client = parties.dangan[c]
            return [
                client.post(url, data=fields, files=files(data)).json()["id"]
                for data in payloads[c]
            ]

        def sealed_upload(c: int) -> list[str]:
            thin = parties.thin[c]
            return [thin.post("/sealed", files=files(data)).json()["id"] for data in payloads[c]]

        _phase(parties, "raw put", None, raw_put)
        thin_ids = _phase(parties, "thin upload", "thin", thin_upload)
        # The thin API keeps its sealed rows in its process's memory: one process only.
        sealed_ids = _phase(parties, "sealed upload", "thin", sealed_upload) if SEALED else []
        dangan_ids = _phase(parties, "dangan upload", "dangan", dangan_upload)

        def raw_get(c: int) -> list[str]:
            return [
                str(_count(raw.get_object(bucket_name="raw", object_name=f"raw-{round_}-{c}-{i}")))
                for i in range(per_client)
            ]

        def thin_download(c: int) -> list[str]:
            base = parties.thin[c].base_url
            return [str(_drain(str(base.join(f"/objects/{key}")))) for key in thin_ids[c]]

        def dangan_download(c: int) -> list[str]:
            base = parties.dangan[c].base_url
            got = [
                str(_drain(str(base.join(f"/api/v1/documents/{key}/content")), auth))
                for key in dangan_ids[c]
            ]
            assert all(int(n) == size for n in got)
            return got

        def sealed_download(c: int) -> list[str]:
            base = parties.thin[c].base_url
            return [str(_drain(str(base.join(f"/sealed/{key}")))) for key in sealed_ids[c]]

        _phase(parties, "raw get", None, raw_get)
        _phase(parties, "thin download", "thin", thin_download)
        if SEALED:
            _phase(parties, "sealed download", "thin", sealed_download)
        _phase(parties, "dangan download", "dangan", dangan_download)


def _report(size: int, files: int, rounds: int, parties: Parties) -> None:
    mib = files * size / MiB  # per phase
    rate = {name: mib / statistics.median(values) for name, values in parties.times.items()}
    print(
        f"\n{size // MiB} MiB, {parties.clients} clients at once, {files} files a phase, "
        f"{rounds} rounds, {REPLICAS} process(es) per server: median MB/s; CPU ms per MiB (mean)"
    )
    print(f"  {'':16} {'MB/s':>8} " + " ".join(f"{part:>8}" for part in PARTS))
    for name, value in rate.items():
        spent = parties.cpu[name]
        per_mib = {part: spent[part] * 1000 / (rounds * mib) for part in PARTS}
        print(f"  {name:16} {value:8.1f} " + " ".join(f"{per_mib[p]:8.2f}" for p in PARTS))
    ratios = {
        "upload vs thin": rate["dangan upload"] / rate["thin upload"],
        "upload vs raw": rate["dangan upload"] / rate["raw put"],
        "download vs thin": rate["dangan download"] / rate["thin download"],
        "download vs raw": rate["dangan download"] / rate["raw get"],
    }
    if SEALED:  # the floor: what encryption alone leaves of the thin API, and Dangan against it
        ratios |= {
            "sealed up vs thin": rate["sealed upload"] / rate["thin upload"],
            "sealed dl vs thin": rate["sealed download"] / rate["thin download"],
            "upload vs sealed": rate["dangan upload"] / rate["sealed upload"],
            "download vs sealed": rate["dangan download"] / rate["sealed download"],
        }
    targets = TARGETS[size]
    for name, value in ratios.items():
        target = targets.get(name)
        verdict = f"(target >= {target}x) {'PASS' if value >= target else 'FAIL'}" if target else ""
        print(f"  {name:18} {value:6.2f}x {verdict}")


if __name__ == "__main__":
    main()
