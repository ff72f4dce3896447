"""Borrowing (借阅) as its users live it: request, approval, reading under a grant, return."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from PIL import Image, ImageChops

from archive_api.postman import Postman
from tests.archive_api.conftest import Api, Cast, ask, later
from tests.factories import red_pixels, sample_pdf
from tests.servers import smtp_server


def test_a_sales_manager_borrows_a_license_to_view_and_is_refused_after_the_deadline(
    api: Api, cast: Cast
) -> None:
    customer = api.customer()
    license_id = str(api.upload(customer, sample_pdf())["id"])
    manager = cast["manager"]
    url = f"/api/v1/documents/{license_id}"

    # Without a borrowing there is no content, only metadata.
    assert manager.get(url).status_code == 200
    refused = manager.get(f"{url}/content")
    assert refused.status_code == 403
    assert "request one" in refused.json()["detail"]

    # The rules: a sales manager views only, for the same day at most 8 hours.
    too_long = ask(manager, license_id, customer, hours=9)
    assert too_long.status_code == 422
    assert "hours: the longest allowed here is 8" in too_long.json()["detail"]
    download = ask(manager, license_id, customer, mode="download")
    assert download.status_code == 422
    assert download.json()["detail"].startswith("mode: download is not allowed")

    asked = ask(manager, license_id, customer)
    assert asked.status_code == 201, asked.text
    borrowing = asked.json()
    assert (borrowing["status"], borrowing["waiting_for"]) == ("pending", "dept_head")
    number, borrowing_url = borrowing["number"], f"/api/v1/borrowings/{borrowing['id']}"

    # The head is told, nobody approves their own request, and the director is not asked here.
    inbox = cast["head"].get("/api/v1/notifications?unread=true").json()
    assert any(number in n["subject"] and n["kind"] == "approval_needed" for n in inbox)
    assert manager.post(f"{borrowing_url}/approve").status_code == 403
    assert cast["director"].post(f"{borrowing_url}/approve").status_code == 403
    assert manager.get(f"{url}/pages/1").status_code == 403  # not approved yet
    waiting = cast["head"].get("/api/v1/borrowings?scope=to_approve").json()
    assert [b["number"] for b in waiting["items"]] == [number]
    approved = cast["head"].post(f"{borrowing_url}/approve", json={"reason": "同意"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    due = datetime.fromisoformat(approved.json()["due_at"])
    assert timedelta(0) < due - datetime.now(UTC) <= timedelta(hours=4)

    # The manager reads watermarked page images, never the file.
    count = manager.get(f"{url}/pages").json()
    assert count["pages"] >= 1
    page = manager.get(f"{url}/pages/1")
    assert page.status_code == 200
    assert page.headers["content-type"] == "image/webp"
    assert page.content[8:12] == b"WEBP"
    assert page.headers["cache-control"] == "no-store"
    assert manager.get(f"{url}/pages/{count['pages'] + 1}").status_code == 422
    view_only = manager.get(f"{url}/content")
    assert view_only.status_code == 403
    assert f"borrowing {number} is for view only" in view_only.json()["detail"]

    # After the deadline: refused, overdue, listed for the archivist, blocking a new request.
    later(api, 9)
    ended = manager.get(f"{url}/pages/1")
    assert ended.status_code == 403
    assert f"borrowing {number} ended" in ended.json()["detail"]
    overdue = api.client.get("/api/v1/borrowings?status=overdue").json()
    assert [b["number"] for b in overdue["items"]] == [number]
    assert overdue["items"][0]["overdue"] is True
    blocked = ask(manager, license_id, customer)
    assert blocked.status_code == 409
    assert f"borrowing {number} is overdue" in blocked.json()["detail"]

    # The postman tells the borrower and the archivist, once.
    postman = Postman(api.backends)
    assert postman.run_once() == (1, 0)
    assert postman.run_once() == (0, 0)
    for client in (manager, api.client):
        kinds = [n["kind"] for n in client.get("/api/v1/notifications").json()]
        assert "overdue" in kinds

    # Returned once; a second return is refused and recorded.
    returned = manager.post(f"{borrowing_url}/return")
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    twice = manager.post(f"{borrowing_url}/return")
    assert twice.status_code == 409
    assert "is returned: nothing to return" in twice.json()["detail"]
    assert ask(manager, license_id, customer).status_code == 201  # no longer blocked

    # Every step is in the audit log.
    listed = cast["auditor"].get("/api/v1/audit/events?limit=500").json()["items"]
    events = [item["event"] for item in listed]
    seen = [(e["action"], e["outcome"]) for e in events]
    for step in [
        ("borrowing:request:create", "success"),
        ("borrowing:request:approve", "success"),
        ("borrowing:request:approve", "denied"),
        ("document:page:read", "success"),
        ("document:content:read", "denied"),
        ("borrowing:request:create", "denied"),
        ("borrowing:file:return", "success"),
        ("borrowing:file:return", "denied"),
    ]:
        assert step in seen, step
    page_read = next(e for e in events if e["action"] == "document:page:read")
    assert page_read["sha256"] == hashlib.sha256(page.content).hexdigest()
    assert page_read["decision"]["rule"] == f"borrowing {number}"

    # The register shows the borrowing with its approver, in CSV and in XLSX.
    window = {"since": "2000-01-01T00:00:00Z", "until": "2100-01-01T00:00:00Z"}
    sheet = api.client.get("/api/v1/borrowings/register", params=window)
    assert sheet.status_code == 200
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    first = next(r for r in rows if r[0] == number)
    assert first[1] == "manager"
    assert "head (dept_head, 同意)" in first[7]
    assert first[10]
    assert first[11] == "returned"
    xlsx = api.client.get("/api/v1/borrowings/register", params={**window, "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert number in [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    # The register is the archivists' book.
    assert cast["manager"].get("/api/v1/borrowings/register", params=window).status_code == 403


def test_secret_material_needs_two_approvers_the_second_an_archivist(api: Api, cast: Cast) -> None:
    customer = api.customer()
    secret = str(api.upload(customer, sample_pdf(), secrecy="secret")["id"])
    # The manager's clearance is below the document: it does not exist for them.
    assert ask(cast["manager"], secret, customer).status_code == 404
    asked = ask(cast["seller"], secret, customer, mode="download")
    assert asked.status_code == 201, asked.text
    borrowing = asked.json()
    assert borrowing["approver_roles"] == ["dept_head", "archivist"]
    url = f"/api/v1/borrowings/{borrowing['id']}"
    assert api.client.post(f"{url}/approve").status_code == 403  # the head comes first
    first = cast["head"].post(f"{url}/approve")
    assert (first.json()["status"], first.json()["waiting_for"]) == ("pending", "archivist")
    assert cast["head"].post(f"{url}/approve").status_code == 403  # one step per person
    second = api.client.post(f"{url}/approve")
    assert second.json()["status"] == "approved"

    # A borrower's download of a PDF carries the mark on every page; the log has its hash.
    served = cast["seller"].get(f"/api/v1/documents/{secret}/content")
    assert served.status_code == 200
    assert served.content != sample_pdf()
    pdf = pdfium.PdfDocument(served.content)
    for index in range(len(pdf)):
        assert _stamp(borrowing).search(pdf[index].get_textpage().get_text_range())
    events = cast["auditor"].get("/api/v1/audit/events?action=document:content:read").json()
    assert events["items"][0]["event"]["sha256"] == hashlib.sha256(served.content).hexdigest()


def _stamp(borrowing: dict[str, Any]) -> re.Pattern[str]:
    # The seller's mark: who, the borrowing, and the minute in company time with its zone named.
    number = re.escape(borrowing["number"])
    return re.compile(rf"seller · {number} · \d{{4}}-\d\d-\d\d \d\d:\d\d UTC\+08:00")


def _turned_sample() -> bytes:
    # The sample as scanners leave some pages: the second turned a quarter, the third cropped.
    with pikepdf.open(io.BytesIO(sample_pdf())) as pdf:
        pdf.pages[1].obj.Rotate = 90
        pdf.pages[2].obj.CropBox = pikepdf.Array([50, 100, 500, 700])
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_a_borrowed_pdf_is_downloaded_marked_upright_on_every_page_in_an_embedded_font(
    api: Api, cast: Cast
) -> None:
    original = _turned_sample()
    customer = api.customer()
    document = str(api.upload(customer, original)["id"])
    borrowing = ask(cast["seller"], document, customer, mode="download").json()
    approved = cast["head"].post(f"/api/v1/borrowings/{borrowing['id']}/approve")
    assert approved.json()["status"] == "approved", approved.text

    served = cast["seller"].get(f"/api/v1/documents/{document}/content")
    assert served.status_code == 200, served.text
    assert served.headers["content-type"] == "application/pdf"
    pdf = pdfium.PdfDocument(served.content)
    assert [tuple(map(round, pdf[n].get_size())) for n in range(3)] == [
        (597, 843), (845, 597), (450, 600)
    ]  # fmt: skip
    for index in range(len(pdf)):
        assert _stamp(borrowing).search(pdf[index].get_textpage().get_text_range())
        image = pdf[index].render(scale=1).to_pil()
        width, height = image.size
        # Upright as the page is shown: the solid line runs along its foot, not its head (where
        # only the tiled mark, over the scan's grey, reaches the red counted).
        foot = red_pixels(image.crop((0, height - 25, width, height)))
        assert foot > 100
        assert red_pixels(image.crop((0, 0, width, 25))) < foot / 10
    with pikepdf.open(io.BytesIO(served.content)) as copy:
        fonts = [
            found
            for found in copy.objects
            if isinstance(found, pikepdf.Dictionary) and found.get("/Type") == pikepdf.Name.Font
        ]
        # The scan has no font of its own: the one there is the mark's, its outlines in the file.
        assert [str(font.BaseFont).split("+")[-1] for font in fonts] == ["WenQuanYiZenHei-0"]
        assert len(fonts[0].FontDescriptor.FontFile2.read_bytes()) > 1000
    events = cast["auditor"].get("/api/v1/audit/events?action=document:content:read").json()
    assert events["items"][0]["event"]["sha256"] == hashlib.sha256(served.content).hexdigest()


def _scan(kind: str, frames: int) -> bytes:
    # Grey pages with a GPS position in their EXIF: nothing red, nothing to keep.
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (31.0, 14.0, 0.0)
    pages = [Image.new("RGB", (1000, 1400), (190, 190, 190 + 20 * n)) for n in range(frames)]
    out = io.BytesIO()
    pages[0].save(out, kind, save_all=frames > 1, append_images=pages[1:], exif=exif)
    return out.getvalue()


def _difference(
    stamped: Image.Image, kept: Image.Image, box: tuple[int, int, int, int]
) -> list[int]:
    # How many pixels of the box differ from the original's by each amount (0-255, as grey).
    pair = (image.convert("RGB").crop(box) for image in (stamped, kept))
    return ImageChops.difference(*pair).convert("L").histogram()


def _changed(stamped: Image.Image, kept: Image.Image, box: tuple[int, int, int, int]) -> float:
    counts = _difference(stamped, kept, box)
    return sum(counts[25:]) / sum(counts)  # visibly


def _unchanged(stamped: Image.Image, kept: Image.Image, box: tuple[int, int, int, int]) -> float:
    counts = _difference(stamped, kept, box)
    return sum(counts[:4]) / sum(counts)  # but for a JPEG's rounding


@pytest.mark.parametrize(("kind", "frames"), [("JPEG", 1), ("TIFF", 3)])
def test_a_borrowed_scan_is_downloaded_stamped_on_every_frame(
    api: Api, cast: Cast, kind: str, frames: int
) -> None:
    original = _scan(kind, frames)
    customer = api.customer()
    document = str(api.upload(customer, original, filename=f"scan.{kind.lower()}")["id"])
    borrowing = ask(cast["seller"], document, customer, mode="download").json()
    approved = cast["head"].post(f"/api/v1/borrowings/{borrowing['id']}/approve")
    assert approved.json()["status"] == "approved", approved.text
    url = f"/api/v1/documents/{document}/content"

    served = cast["seller"].get(url, headers={"Range": "bytes=0-99"})
    assert served.status_code == 200  # whole: each stamping carries its own minute
    assert served.headers["accept-ranges"] == "none"
    stamped = Image.open(io.BytesIO(served.content))
    kept = Image.open(io.BytesIO(original))
    assert (stamped.format, getattr(stamped, "n_frames", 1)) == (kind, frames)
    for frame in range(frames):
        stamped.seek(frame)
        kept.seek(frame)
        assert stamped.size == kept.size
        # The mark's red is on every frame, where the original had none; its GPS is gone.
        assert red_pixels(stamped) > 1000
        assert red_pixels(kept) == 0
        assert 0x8825 not in stamped.getexif()
        assert "exif" not in stamped.info
        # The band at the foot is the mark's; above it the scan shows through the tiled mark.
        width, height = kept.size
        foot, above = (0, height - 40, width, height), (0, 0, width, height - 60)
        assert _changed(stamped, kept, foot) > 0.9
        assert red_pixels(stamped.crop(foot)) > 100
        assert 0.005 < _changed(stamped, kept, above) < 0.2
        assert _unchanged(stamped, kept, above) > 0.8
    events = cast["auditor"].get("/api/v1/audit/events?action=document:content:read").json()
    read = events["items"][0]["event"]
    assert read["sha256"] == hashlib.sha256(served.content).hexdigest()
    assert read["watermarked"] is True

    # The archivist gets the stored bytes, by range.
    stored = api.client.get(url, headers={"Range": "bytes=0-99"})
    assert (stored.status_code, stored.content) == (206, original[:100])


def test_a_rejected_request_cannot_be_approved_and_reads_nothing(api: Api, cast: Cast) -> None:
    customer = api.customer()
    document = str(api.upload(customer, sample_pdf())["id"])
    borrowing = ask(cast["seller"], document, customer, mode="download").json()
    url = f"/api/v1/borrowings/{borrowing['id']}"
    assert cast["head"].post(f"{url}/reject", json={}).status_code == 422  # a reason is needed
    rejected = cast["head"].post(f"{url}/reject", json={"reason": "用途不明"})
    assert rejected.json()["status"] == "rejected"
    again = cast["head"].post(f"{url}/approve")
    assert again.status_code == 409
    assert "is rejected: nothing awaits approval" in again.json()["detail"]
    assert cast["seller"].get(f"/api/v1/documents/{document}/content").status_code == 403
    # Strangers to the borrowing do not see it.
    assert cast["manager"].get(url).status_code == 404


def test_paper_originals_are_handed_out_and_checked_in_by_the_archivist(
    api: Api, cast: Cast
) -> None:
    customer = api.customer()
    document = str(api.upload(customer, sample_pdf())["id"])
    no_paper = ask(cast["seller"], document, customer, mode="physical")
    assert no_paper.status_code == 422
    place = {"cabinet": "A-3", "shelf": "2", "box": "17"}
    filed = api.client.put(f"/api/v1/documents/{document}/original", json=place)
    assert filed.json()["original_cabinet"] == "A-3"
    assert (
        cast["seller"].put(f"/api/v1/documents/{document}/original", json=place).status_code == 403
    )
    borrowing = ask(cast["seller"], document, customer, mode="physical", hours=48).json()
    url = f"/api/v1/borrowings/{borrowing['id']}"
    approved = cast["head"].post(f"{url}/approve").json()
    assert approved["out_at"] is None  # the clock starts when the paper leaves the cabinet
    assert cast["seller"].post(f"{url}/hand-out").status_code == 403
    out = api.client.post(f"{url}/hand-out").json()
    assert out["out_at"] is not None
    assert out["due_at"] is not None
    # A paper loan opens no digital read.
    assert cast["seller"].get(f"/api/v1/documents/{document}/pages/1").status_code == 403
    assert cast["seller"].post(f"{url}/return").status_code == 403  # the archivist checks in
    back = api.client.post(f"{url}/return")
    assert back.json()["status"] == "returned"


def test_an_extension_is_approved_again_and_bounded_by_the_rule(api: Api, cast: Cast) -> None:
    customer = api.customer()
    document = str(api.upload(customer, sample_pdf())["id"])
    borrowing = ask(cast["seller"], document, customer, hours=24).json()
    url = f"/api/v1/borrowings/{borrowing['id']}"
    due = cast["head"].post(f"{url}/approve").json()["due_at"]
    too_much = cast["seller"].post(f"{url}/extend", json={"hours": 49})
    assert too_much.status_code == 422
    assert "longest allowed in all is 72" in too_much.json()["detail"]
    asked = cast["seller"].post(f"{url}/extend", json={"hours": 24}).json()
    assert (asked["status"], asked["waiting_for"], asked["due_at"]) == (
        "approved",
        "dept_head",
        due,
    )
    extended = cast["head"].post(f"{url}/approve").json()
    later = datetime.fromisoformat(extended["due_at"]) - datetime.fromisoformat(due)
    assert later == timedelta(hours=24)
    assert extended["waiting_for"] is None
    assert cast["seller"].get(f"/api/v1/documents/{document}/pages/1").status_code == 200
    # Raised above what was approved, the document needs a borrowing of its own.
    raised = api.client.patch(f"/api/v1/documents/{document}/secrecy", json={"secrecy": "secret"})
    assert raised.status_code == 200
    above = cast["seller"].get(f"/api/v1/documents/{document}/pages/1")
    assert above.status_code == 403
    assert "covers material up to internal only" in above.json()["detail"]
    revoked = api.client.post(f"{url}/revoke", json={"reason": "客户终止合作"})
    assert revoked.json()["status"] == "revoked"
    assert cast["seller"].get(f"/api/v1/documents/{document}/pages/1").status_code == 403


def test_notifications_are_mailed_when_smtp_is_set(api: Api, cast: Cast) -> None:
    with smtp_server() as (port, received):
        api.admin.patch(
            f"/api/v1/admin/users/{cast.ids['head']}", json={"email": "head@example.cn"}
        )
        customer = api.customer("机密客户名称有限公司")
        document = str(api.upload(customer, sample_pdf())["id"])
        number = ask(cast["seller"], document, customer).json()["number"]
        postman = Postman(api.backends)
        assert postman.run_once() == (0, 0)  # no SMTP host yet: listed, not mailed
        api.backends.settings.smtp_host, api.backends.settings.smtp_port = "127.0.0.1", port
        assert postman.run_once() == (0, 1)
        assert postman.run_once() == (0, 0)  # sent once
    [mail] = received
    assert mail["To"] == "head@example.cn"
    assert number in mail["Subject"]
    # E-mail leaves the archive: it names the borrowing, never the customer or the purpose.
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    text = payload.decode()
    assert number in text
    assert "机密客户" not in text + mail["Subject"]
    assert "营业执照" not in text
