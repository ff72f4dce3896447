"""Upload and download throughput: Dangan against a raw minio put/get and the thin API.

All three talk to the same SeaweedFS in the same run, measurements interleaved, medians
reported as MB/s and as ratios against the targets of issue 2. Dangan runs in production
configuration (PostgreSQL, SeaweedFS, OpenBao).

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
from pathlib import Path

import httpx
from minio import Minio

from bench.harness import archivist_with_customer, dangan, process, production_env
from tests.servers import free_port, openbao, postgres_database, postgres_server, seaweedfs

MiB = 1 << 20
SIZES = [(1 * MiB, 30), (100 * MiB, 5)]
TARGETS = {"upload vs thin": 0.9, "upload vs raw": 0.7, "download vs raw": 0.8}


def _drain(client: httpx.Client, url: str) -> int:
    size = 0
    with client.stream("GET", url) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes(MiB):
            size += len(chunk)
    return size


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
                dangan(env, root / "dangan.log") as (base, _),
                process(thin_argv, thin_env, f"{thin_base}/docs", root / "thin.log"),
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
                for size, reps in SIZES:
                    _measure(size, reps, raw, client, customer, thin)


def _measure(
    size: int, reps: int, raw: Minio, client: httpx.Client, customer: str, thin: httpx.Client
) -> None:
    times: dict[str, list[float]] = {}

    def timed(name: str, action: Callable[[], str]) -> str:
        start = time.perf_counter()
        result = action()
        times.setdefault(name, []).append(time.perf_counter() - start)
        return result

    for rep in range(reps):
        payload = b"%PDF-1.7\n" + os.urandom(size - 9)  # new bytes each time: no duplicates
        key = f"raw-{rep}"
        # A file object, as a browser or curl streams a file: given one big bytes object,
        # httpcore re-slices the unsent rest after every send() (quadratic copying that cost the
        # client 7 ms of CPU per MiB, taken from the cores the servers share).
        files = {"file": ("bench.pdf", io.BytesIO(payload), "application/pdf")}
        fields = {"doc_type": "other", "title": "bench"}
        url = f"/api/v1/customers/{customer}/documents"
        timed("raw put", lambda: raw.put_object(
            bucket_name="raw", object_name=key, data=io.BytesIO(payload), length=size
        ).object_name)  # fmt: skip
        thin_id = timed("thin upload", lambda: thin.post("/upload", files=files).json()["id"])
        dangan_id = timed(
            "dangan upload", lambda: client.post(url, data=fields, files=files).json()["id"]
        )
        timed("raw get", lambda: str(len(b"".join(
            raw.get_object(bucket_name="raw", object_name=key).stream(MiB)
        ))))  # fmt: skip
        timed("thin download", lambda: str(_drain(thin, f"/objects/{thin_id}")))
        got = timed(
            "dangan download",
            lambda: str(_drain(client, f"/api/v1/documents/{dangan_id}/content")),
        )
        assert int(got) == size
    rate = {name: size / statistics.median(values) / MiB for name, values in times.items()}
    print(f"\n{size // MiB} MiB x {reps}: median MB/s")
    for name, value in rate.items():
        print(f"  {name:16} {value:8.1f}")
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
