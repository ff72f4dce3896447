"""The archive search step (ingest.search.search_archive), called directly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ingest.errors import InvalidField
from ingest.search import SearchQuery, search_archive
from storage.auditnames import Action
from tests.archive_api.conftest import Api, add_user
from tests.archive_api.steps.conftest import acting
from tests.archive_api.test_search import CONTRACT, index_all, text_pdf


def _search(api: Api, who: str, asked: SearchQuery) -> tuple[list[tuple[str, Any]], int]:
    """(document id, snippet) of each hit, and the total, as `who` finds them."""
    with acting(api, who) as (session, policy, actor):
        found = search_archive(session, actor, policy, asked, api.backends.clock(), "secret")
        hits = [(str(hit.document.id), hit.snippet) for hit in found.hits]
    return hits, found.total


def test_a_search_finds_within_what_may_be_seen_and_is_recorded_without_its_rows(
    api: Api, events: list[dict[str, Any]]
) -> None:
    customer = api.customer()
    document = str(
        api.upload(customer, text_pdf(*CONTRACT), doc_type="contract", title="借款合同")["id"]
    )
    index_all(api)
    add_user(api.admin, "seller", api.department, "secret", "sales")
    elsewhere = api.admin.post(
        "/api/v1/admin/departments", json={"code": "sales-b", "name": "销售二部"}
    ).json()["id"]
    add_user(api.admin, "outsider", elsewhere, "secret", "sales")
    asked = SearchQuery(q="保证金", sort="date", limit=10)
    events.clear()
    [(found, snippet)], total = _search(api, "archivist", asked)
    assert (found, total) == (document, 1)
    assert snippet is not None
    assert "保证金" in snippet  # an archivist reads content
    # A salesperson of the department finds it, without text: reading it needs a borrowing.
    assert _search(api, "seller", asked) == ([(document, None)], 1)
    assert _search(api, "outsider", asked) == ([], 0)  # another department's: not counted
    assert [e["action"] for e in events] == [Action.SEARCH] * 3
    assert [e["results"] for e in events] == [1, 1, 0]
    assert events[0]["filter"] == {"q": "保证金", "sort": "date", "limit": "10", "offset": "0"}
    assert events[2]["actor"]["username"] == "outsider"
    assert document not in str(events)
    assert customer not in str(events)


@pytest.mark.parametrize(
    ("asked", "named"),
    [
        (SearchQuery(issued_from=date(2024, 2, 1), issued_to=date(2024, 1, 1)), "issued_to"),
        (SearchQuery(amount_min=Decimal(10), amount_max=Decimal(9)), "amount_max"),
    ],
)
def test_a_search_with_crossed_bounds_is_refused_naming_the_field_and_not_recorded(
    api: Api, events: list[dict[str, Any]], asked: SearchQuery, named: str
) -> None:
    events.clear()
    with pytest.raises(InvalidField, match=named) as refused:
        _search(api, "archivist", asked)
    assert refused.value.status == 422
    assert events == []
