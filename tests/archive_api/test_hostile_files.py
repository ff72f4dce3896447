"""Hostile files and names: refused clearly, without burdening the server; names cannot mislead."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from tests.archive_api.conftest import Api, Cast, ask, later
from tests.factories import sample_pdf
from tests.hostile import huge_png, image_bomb_pdf, object_stream_bomb_pdf

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


def _peak_mb() -> int:
    # The most memory this process (the server, under TestClient) has held since the reset.
    return int(re.search(r"VmHWM:\s+(\d+) kB", STATUS.read_text()).group(1)) // 1024  # type: ignore[union-attr]


def _reset_peak() -> None:
    CLEAR_REFS.write_text("5")  # Linux: resets VmHWM to the current resident size


def _upload(api: Api, customer: str, content: bytes, filename: str, **fields: str) -> Any:
    return api.client.post(
        f"/api/v1/customers/{customer}/documents",
        data={"doc_type": "contract", "title": "购销合同", **fields},
        files={"file": (filename, content, "application/octet-stream")},
    )


def _refused_lightly(client: TestClient, url: str) -> None:
    # Refused with the stable code, within seconds, without the server's memory growing.
    _reset_peak()
    before, started = _peak_mb(), time.monotonic()
    response = client.get(url)
    took, grew = time.monotonic() - started, _peak_mb() - before
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "document_too_large_to_render"
    assert took < 15
    assert grew < 150, f"the server grew by {grew} MB"


def test_a_scan_declaring_24000_by_24000_pixels_is_refused_quickly(api: Api) -> None:
    upload = _upload(api, api.customer(), huge_png(), "bomb.png")
    assert upload.status_code == 201, upload.text
    url = f"/api/v1/documents/{upload.json()['id']}/pages"
    _refused_lightly(api.client, f"{url}/1")
    refusal = api.client.get(f"{url}/1").json()["detail"]
    assert "24000×24000" in refusal
    assert "DANGAN_RENDER_MAX_PIXELS" in refusal
    _refused_lightly(api.client, url)


def test_a_pdf_whose_image_inflates_to_576_megapixels_is_refused_quickly(api: Api) -> None:
    upload = _upload(api, api.customer(), image_bomb_pdf(), "bomb.pdf")
    assert upload.status_code == 201, upload.text
    _refused_lightly(api.client, f"/api/v1/documents/{upload.json()['id']}/pages/1")


def _lend(api: Api, cast: Cast, content: bytes) -> tuple[str, str]:
    # The seller borrows one document to download; the department head approves.
    customer = api.customer()
    upload = _upload(api, customer, content, "合同.pdf")
    assert upload.status_code == 201, upload.text
    document = str(upload.json()["id"])
    borrowing = ask(cast["seller"], document, customer, mode="download").json()
    approved = cast["head"].post(f"/api/v1/borrowings/{borrowing['id']}/approve")
    assert approved.json()["status"] == "approved", approved.text
    return document, str(borrowing["number"])


def test_stamping_a_pdf_bomb_for_a_borrower_is_refused_not_a_server_error(
    api: Api, cast: Cast
) -> None:
    # The page sits in an object stream that inflates to 4 GiB: qpdf cannot read it within limits.
    document, _ = _lend(api, cast, object_stream_bomb_pdf(4096))
    _refused_lightly(cast["seller"], f"/api/v1/documents/{document}/content")
    # Nothing was served, so no read of content is on record.
    events = cast["auditor"].get("/api/v1/audit/events?action=document:content:read").json()
    assert events["items"] == []


def _minutes(body: bytes) -> set[str]:
    # The stamped times found on the pages of a served copy.
    pdf = pdfium.PdfDocument(body)
    text = "".join(pdf[index].get_textpage().get_text_range() for index in range(len(pdf)))
    return set(re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d", text))


def test_a_stamped_download_is_served_whole_so_two_stampings_never_mix(
    api: Api, cast: Cast
) -> None:
    document, number = _lend(api, cast, sample_pdf())
    url = f"/api/v1/documents/{document}/content"
    first = cast["seller"].get(url, headers={"Range": "bytes=0-99"})
    later(api, hours=2 / 60)  # the next request is stamped with another minute
    resumed = cast["seller"].get(url, headers={"Range": "bytes=100-", "If-Range": "anything"})
    for response in (first, resumed):
        assert response.status_code == 200
        assert "content-range" not in response.headers
        assert response.headers["accept-ranges"] == "none"
        assert int(response.headers["content-length"]) == len(response.content)
        assert len(_minutes(response.content)) == 1  # one whole stamping, every page the same
        assert (
            f"seller · {number}"
            in pdfium.PdfDocument(response.content)[0].get_textpage().get_text_range()
        )
    assert _minutes(first.content) != _minutes(resumed.content)
    # The archive's own copy is not stamped, so the archivist may still resume a download.
    kept = api.client.get(url, headers={"Range": "bytes=0-99"})
    assert kept.status_code == 206
    assert kept.content == sample_pdf()[:100]


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("x.html", "x.html.pdf"),
        ("scan", "scan.pdf"),
        ("报告.PDF", "报告.PDF"),
        ("..\\..\\invoice\u202efdp.exe", "invoicefdp.exe.pdf"),
        ("../\u2066合同\u2069\u200e.pdf", "合同.pdf"),
    ],
)
def test_a_stored_name_agrees_with_the_content_and_hides_nothing(
    api: Api, sent: str, stored: str
) -> None:
    upload = _upload(api, api.customer(), sample_pdf(), sent)
    assert upload.status_code == 201, upload.text
    assert upload.json()["versions"][0]["filename"] == stored
    served = api.client.get(f"/api/v1/documents/{upload.json()['id']}/content")
    disposition = served.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="')
    assert disposition.endswith("filename*=UTF-8''" + quote(stored, safe=""))
    assert disposition.isascii()


def test_a_png_named_as_a_pdf_keeps_its_true_extension(api: Api) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(picture, "PNG")
    upload = _upload(api, api.customer(), picture.getvalue(), "x.pdf")
    assert upload.json()["versions"][0]["filename"] == "x.pdf.png"


@pytest.mark.parametrize("field", ["title", "counterparty", "contract_no"])
def test_a_title_with_bidi_or_control_characters_is_refused(api: Api, field: str) -> None:
    customer = api.customer()
    for hidden in ("\u202e", "\u2067", "\u200f", "\x1b"):
        response = _upload(api, customer, sample_pdf(), "a.pdf", **{field: f"合同{hidden}gpj.exe"})
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["error"] == "invalid_field"
        assert body["detail"].startswith(field)
        assert f"U+{ord(hidden):04X}" in body["detail"]
        assert "refused, not stripped" in body["detail"]
    assert (
        api.client.get("/api/v1/documents", params={"customer_id": customer}).json()["total"] == 0
    )
