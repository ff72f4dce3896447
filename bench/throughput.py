"""Upload and download throughput: Dangan against a raw minio put/get and the thin API.

All three talk to the same SeaweedFS in the same run, measurements interleaved, medians
reported as MB/s and as ratios against the targets of issue 2. Dangan runs in production
configuration (PostgreSQL, SeaweedFS, OpenBao).

Every process shares the machine's cores, so each operation's CPU time is also reported per
MiB: the whole machine's, SeaweedFS's, the HTTP server's (Dangan or the thin API) and the
benchmark client's. Where the machine is busy throughout, throughput is the inverse of that.

    .venv/bin/python -m bench.throughput
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import urllib3
from minio import Minio

from bench.harness import archivist_with_customer, dangan, process, production_env
from tests.servers import free_port, openbao, postgres_database, postgres_server, seaweedfs

MiB = 1 << 20
SIZES = [(1 * MiB, 30), (100 * MiB, 5)]
TARGETS = {"upload vs thin": 0.9, "upload vs raw": 0.7, "download vs raw": 0.8}
TICKS = os.sysconf("SC_CLK_TCK")
PARTS = ("machine", "weed", "server", "client")


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _machine_cpu() -> float:
    """CPU seconds all cores have been busy so far (user to steal, without idle and iowait)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(value) for value in Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / TICKS


@dataclass
class Parties:
    """The clients of the three ways in, and the processes whose CPU is counted."""

    raw: Minio
    client: httpx.Client
    customer: str
    thin: httpx.Client
    pids: dict[str, int]  # weed, thin, dangan
    times: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, dict[str, float]] = field(default_factory=dict)

    def timed(self, name: str, server: str | None, action: Callable[[], str]) -> str:
        """Run one operation, adding its wall time and each party's CPU time under `name`."""

        def sample() -> dict[str, float]:
            return {
                "machine": _machine_cpu(),
                "weed": _process_cpu(self.pids["weed"]),
                "server": _process_cpu(self.pids[server]) if server else 0.0,
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
_HTTP = urllib3.PoolManager()


def _drain(url: str, headers: dict[str, str] | None = None) -> int:
    return _count(_HTTP.request("GET", url, headers=headers, preload_content=False))


def main() -> None:
    """Run the comparison and print the table."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with (
            seaweedfs(root / "weed") as s3,
            openbao(root / "bao") as kms,
            postgres_database(postgres_server()) as database,
        ):
            env = production_env(root / "dangan", database, s3, kms)
            thin_port = free_port()
            thin_env = {
                "BENCH_S3_ENDPOINT": s3.endpoint,
                "BENCH_S3_ACCESS_KEY": s3.access_key,
                "BENCH_S3_SECRET_KEY": s3.secret_key,
            }
            thin_argv = [
                str(Path(sys.executable).parent / "uvicorn"), "bench.thin_api:app",
                "--host", "127.0.0.1", "--port", str(thin_port), "--log-level", "warning",
            ]  # fmt: skip
            thin_base = f"http://127.0.0.1:{thin_port}"
            with (
                dangan(env, root / "dangan.log") as (base, dangan_pid),
                process(thin_argv, thin_env, f"{thin_base}/docs", root / "thin.log") as thin_pid,
            ):
                raw = Minio(
                    endpoint=s3.endpoint,
                    access_key=s3.access_key,
                    secret_key=s3.secret_key,
                    secure=False,
                )
                if not raw.bucket_exists(bucket_name="raw"):
                    raw.make_bucket(bucket_name="raw")
                client, customer = archivist_with_customer(base)
                thin = httpx.Client(base_url=thin_base, timeout=600)
                pids = {"weed": s3.pid, "thin": thin_pid, "dangan": dangan_pid}
                for size, reps in SIZES:
                    _measure(size, reps, Parties(raw, client, customer, thin, pids))


def _measure(size: int, reps: int, parties: Parties) -> None:
    raw, client, customer, thin, timed = (
        parties.raw, parties.client, parties.customer, parties.thin, parties.timed
    )  # fmt: skip
    auth = {"Authorization": client.headers["Authorization"]}
    for rep in range(reps):
        payload = b"%PDF-1.7\n" + os.urandom(size - 9)  # new bytes each time: no duplicates
        key = f"raw-{rep}"
        # A file object, as a browser or curl streams a file: given one big bytes object,
        # httpcore re-slices the unsent rest after every send() (quadratic copying that cost the
        # client 7 ms of CPU per MiB, taken from the cores the servers share).
        files = {"file": ("bench.pdf", io.BytesIO(payload), "application/pdf")}
        fields = {"doc_type": "other", "title": "bench"}
        url = f"/api/v1/customers/{customer}/documents"
        timed("raw put", None, lambda: raw.put_object(
            bucket_name="raw", object_name=key, data=io.BytesIO(payload), length=size
        ).object_name)  # fmt: skip
        thin_id = timed(
            "thin upload", "thin", lambda: thin.post("/upload", files=files).json()["id"]
        )
        dangan_id = timed(
            "dangan upload",
            "dangan",
            lambda: client.post(url, data=fields, files=files).json()["id"],
        )
        timed(
            "raw get", None, lambda: str(_count(raw.get_object(bucket_name="raw", object_name=key)))
        )
        thin_url = str(thin.base_url.join(f"/objects/{thin_id}"))
        timed("thin download", "thin", lambda: str(_drain(thin_url)))
        dangan_url = str(client.base_url.join(f"/api/v1/documents/{dangan_id}/content"))
        got = timed(
            "dangan download",
            "dangan",
            lambda: str(_drain(dangan_url, auth)),
        )
        assert int(got) == size
    _report(size, reps, parties)


def _report(size: int, reps: int, parties: Parties) -> None:
    rate = {name: size / statistics.median(values) / MiB for name, values in parties.times.items()}
    print(f"\n{size // MiB} MiB x {reps}: median MB/s; CPU ms per MiB (mean)")
    print(f"  {'':16} {'MB/s':>8} " + " ".join(f"{part:>8}" for part in PARTS))
    for name, value in rate.items():
        spent = parties.cpu[name]
        per_mib = {part: spent[part] * 1000 / (reps * size / MiB) for part in PARTS}
        print(f"  {name:16} {value:8.1f} " + " ".join(f"{per_mib[p]:8.2f}" for p in PARTS))
    ratios = {
        "upload vs thin": rate["dangan upload"] / rate["thin upload"],
        "upload vs raw": rate["dangan upload"] / rate["raw put"],
        "download vs raw": rate["dangan download"] / rate["raw get"],
    }
    for name, value in ratios.items():
        verdict = "PASS" if value >= TARGETS[name] else "FAIL"
        print(f"  {name:16} {value:6.2f}x (target >= {TARGETS[name]}x) {verdict}")


if __name__ == "__main__":
    main()
