"""What fuzzing every operation found (tests/archive_api/test_schemathesis.py), each pinned."""

from __future__ import annotations

from tests.archive_api.conftest import Api, Cast
from tests.factories import qualitative, sample_pdf


def test_an_archivist_reads_a_page_watermarked_as_the_archive(api: Api) -> None:
    """Archivists read without a borrowing: the page is an image named by its number."""
    document = api.upload(api.customer(), sample_pdf())
    response = api.client.get(f"/api/v1/documents/{document['id']}/pages/1?format=png")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert 'filename="page-1.png"' in response.headers["content-disposition"]


def test_an_order_volume_beyond_any_credit_limit_is_refused_as_invalid(
    api: Api, cast: Cast
) -> None:
    """A volume too large to compute or store a limit from is a 422, and a large real one rates."""
    credit = cast.add("credit", "credit_manager")
    url = f"/api/v1/customers/{api.customer()}/ratings"
    entered = {**qualitative("80"), "credit_period_days": 3650}
    for volume in ("1e30", "1e100000", "1000000000000.01"):
        refused = credit.post(url, json={**entered, "order_volume": volume})
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"] == "invalid_field"
    rated = credit.post(url, json={**entered, "order_volume": "1000000000000.00"})
    assert rated.status_code == 201, rated.text


def test_a_search_box_refuses_control_characters_on_every_list(api: Api, cast: Cast) -> None:
    """PostgreSQL keeps no NUL in text: a NUL typed into any search box is a 422 naming `q`."""
    auditor = cast["auditor"]
    for client, path in (
        (api.client, "/documents"),
        (api.client, "/customers"),
        (api.client, "/handovers/people"),
        (api.client, "/search"),
        (auditor, "/audit/people"),
        (api.admin, "/admin/users"),
    ):
        refused = client.get(f"/api/v1{path}", params={"q": "保证\x00金"})
        assert refused.status_code == 422, (path, refused.text)
        assert "q" in refused.json()["detail"], (path, refused.text)
