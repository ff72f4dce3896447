"""The "thin API" baseline: a minimal unencrypted FastAPI app streaming uploads into S3.

No database, no keys, no checks: the multipart body is parsed as it arrives (with Dangan's
own streaming parser, so the comparison isolates what Dangan adds around it) and handed to
`put_object`; downloads stream `get_object` back. Configured by BENCH_S3_* variables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from minio import Minio

from archive_api.multipart import RequestBody, StreamingForm
from storage.s3store import PART_SIZE

BUCKET = os.environ.get("BENCH_S3_BUCKET", "thin")
client = Minio(
    endpoint=os.environ["BENCH_S3_ENDPOINT"],
    access_key=os.environ["BENCH_S3_ACCESS_KEY"],
    secret_key=os.environ["BENCH_S3_SECRET_KEY"],
    secure=False,
)
if not client.bucket_exists(bucket_name=BUCKET):
    client.make_bucket(bucket_name=BUCKET)
app = FastAPI()


@app.post("/upload", status_code=201)
def upload(request: Request) -> dict[str, str]:
    """Stream the file part straight into the object store."""
    form = StreamingForm(RequestBody(request), request.headers["content-type"], None, 1 << 40)
    key = uuid.uuid4().hex
    client.put_object(
        bucket_name=BUCKET,
        object_name=key,
        data=form.file(),  # type: ignore[arg-type]  # the SDK only calls read()
        length=-1,
        part_size=PART_SIZE,  # the same parts as Dangan's, so only what Dangan adds differs
    )
    return {"id": key}


@app.get("/objects/{key}")
def download(key: str) -> StreamingResponse:
    """Stream the object back."""
    response = client.get_object(bucket_name=BUCKET, object_name=key)

    def chunks() -> Iterator[bytes]:
        try:
            yield from response.stream(1 << 20)
        finally:
            response.close()
            response.release_conn()

    return StreamingResponse(chunks(), media_type="application/octet-stream")
