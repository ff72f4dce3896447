"""What fuzzing every operation found (tests/archive_api/test_schemathesis.py), each pinned."""

from __future__ import annotations

from tests.archive_api.conftest import Api
from tests.factories import sample_pdf


def test_an_archivist_reads_a_page_watermarked_as_the_archive(api: Api) -> None:
    """Archivists read without a borrowing: the page is a PNG named by its number."""
    document = api.upload(api.customer(), sample_pdf())
    response = api.client.get(f"/api/v1/documents/{document['id']}/pages/1")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert 'filename="page-1.png"' in response.headers["content-disposition"]
