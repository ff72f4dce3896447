"""Page images as a reader gets them: sized, audited with the bytes served, never on disk."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import time
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from tests.archive_api.conftest import Api, Cast, ask
from tests.factories import MARKER

SECRET_LINE = MARKER.decode("ascii", "ignore")  # the ASCII part: a PDF string holds it verbatim


def _plain_pdf(pages: int = 3) -> bytes:
    # Uncompressed content streams: the line is in the file as written, so any copy is found.
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pageCompression=0)
    for number in range(pages):
        sheet.drawString(72, 720, f"{SECRET_LINE} page {number + 1}")
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def _holding(roots: list[Path], since: float) -> list[Path]:
    # Every file under `roots` (the temporary directory: only those written since `since`)
    # that holds the plaintext line.
    found = []
    for root in roots:
        # os.walk passes over a folder that goes while it walks (rglob raises): other programs'
        # temporary folders come and go under the same temporary directory.
        everything = (Path(top, name) for top, _, names in os.walk(root) for name in names)
        for path in everything:
            try:
                if not path.is_file() or (root == TEMP and path.stat().st_mtime < since):
                    continue
                if SECRET_LINE.encode() in path.read_bytes():
                    found.append(path)
            except OSError:  # another process's file, gone or unreadable: not ours
                continue
    return found


TEMP = Path(tempfile.gettempdir())


def test_each_size_is_served_and_audited_with_the_hash_of_its_bytes(api: Api, cast: Cast) -> None:
    document = api.upload(api.customer(), _plain_pdf())
    url = f"/api/v1/documents/{document['id']}/pages/2"
    served = {}
    for size, side in (("thumb", 240), ("screen", 1800), ("full", 3600)):
        response = api.client.get(url, params={"size": size})
        assert response.status_code == 200, response.text
        assert abs(max(Image.open(io.BytesIO(response.content)).size) - side) <= 1
        served[size] = hashlib.sha256(response.content).hexdigest()
    png = api.client.get(url, params={"size": "thumb", "format": "png"})
    assert png.headers["content-type"] == "image/png"
    assert 'filename="page-2.png"' in png.headers["content-disposition"]
    refused = api.client.get(url, params={"size": "poster"})
    assert refused.status_code == 422
    assert "size" in refused.text

    events = (
        cast["auditor"]
        .get(
            "/api/v1/audit/events",
            params={"action": "document:page:read", "document_id": document["id"]},
        )
        .json()["items"]
    )
    logged = {(e["event"]["size"], e["event"]["sha256"]) for e in events if e["event"]["page"] == 2}
    assert set(served.items()) <= logged


@pytest.mark.parametrize("mode", ["view", "download"])
def test_reading_leaves_no_plaintext_on_disk_or_in_the_object_store(
    api: Api, cast: Cast, request: pytest.FixtureRequest, mode: str
) -> None:
    since = time.time() - 1
    customer = api.customer()
    document = api.upload(customer, _plain_pdf())
    asked = ask(cast["seller"], str(document["id"]), customer, mode=mode)
    assert asked.status_code == 201, asked.text
    approved = cast["head"].post(f"/api/v1/borrowings/{asked.json()['id']}/approve", json={})
    assert approved.status_code == 200, approved.text
    roots = [api.backends.settings.data_dir, TEMP]
    if api.backends.settings.s3_endpoint:
        roots.append(request.getfixturevalue("s3_server").data_dir)

    url = f"/api/v1/documents/{document['id']}"
    for number in (1, 2, 3, 1):
        assert cast["seller"].get(f"{url}/pages/{number}").status_code == 200
    if mode == "download":
        assert cast["seller"].get(f"{url}/content").status_code == 200
    # The renderer still holds the document open: nothing of it is on disk meanwhile ...
    assert _holding(roots, since) == []
    # ... nor once it has let it go.
    api.backends.renderer.close()
    assert _holding(roots, since) == []
