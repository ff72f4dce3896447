"""The "thin API" baseline: a minimal unencrypted FastAPI app streaming uploads into S3.

No database, no keys, no checks: the multipart body is parsed as it arrives (with Dangan's
own streaming parser, so the comparison isolates what Dangan adds around it) and handed to
`put_object`; downloads stream `get_object` back. Configured by BENCH_S3_* variables.

`/sealed` is the floor under Dangan's own cost: the same thin app, but every file is checked,
hashed and encrypted under a new data key wrapped by the key service, and read back decrypted
and verified, with Dangan's own functions (`receive`'s intake, `seal`, `unseal`, `served`) and
settings (DANGAN_* variables). Only the database, sign-in, authorization and audit are left
out, so Dangan against it shows what those cost, and it against the thin API what encryption
alone costs.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse
from minio import Minio

from archive_api.ahead import served
from archive_api.multipart import RequestBody, StreamingForm
from ingest.intake import Intake
from storage.config import StorageSettings
from storage.envelope import object_header, seal, unseal
from storage.keys import customer_key_name, key_provider
from storage.models import DocumentVersion
from storage.objects import object_store
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


settings = StorageSettings()
store, keys = object_store(settings), key_provider(settings)
CUSTOMER = uuid.uuid4()  # every sealed file belongs to one customer, as in Dangan's benchmark
keys.create_key(customer_key_name(str(CUSTOMER)))
sealed: dict[uuid.UUID, DocumentVersion] = {}  # what Dangan's version rows would hold


@app.post("/sealed", status_code=201)
def sealed_upload(request: Request) -> dict[str, str]:
    """Check, hash, encrypt and store the file part, as Dangan's upload does, and keep its row."""
    form = StreamingForm(RequestBody(request), request.headers["content-type"], None, 1 << 40)
    document_id = uuid.uuid4()
    intake = Intake(form.file(), 1 << 40)  # type: ignore[arg-type]  # needs only read()
    header = object_header(CUSTOMER, document_id, 1, intake.media_type)
    stored = seal(store, keys, header, intake)  # type: ignore[arg-type]  # needs only read()
    sealed[document_id] = DocumentVersion(
        customer_id=CUSTOMER,
        document_id=document_id,
        version=1,
        media_type=intake.media_type,
        size=intake.size,
        sha256=intake.sha256,
        object_key=stored.object_key,
        key_name=stored.key_name,
        wrapped_key=stored.wrapped_key,
    )
    return {"id": str(document_id)}


@app.get("/sealed/{document_id}")
def sealed_download(document_id: uuid.UUID) -> Response:
    """Decrypt and verify the file, answered as Dangan answers a download."""
    row = sealed[document_id]
    chunks = unseal(store, keys, row)
    return served(next(chunks, b""), chunks, row.size, media_type=row.media_type)
