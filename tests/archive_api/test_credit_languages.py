"""A rating's texts come in both languages for the web UI to pick the reader's; ratings stored
when each text was one string are still served."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from storage.db import unit_of_work
from storage.models import Rating
from tests.archive_api.conftest import Api, Cast
from tests.archive_api.test_credit_industry import _choices, _set
from tests.archive_api.test_credit_records import ENTERED, _rated_customer


def _as_stored_before(result: dict[str, Any]) -> dict[str, Any]:
    """The result with each text one string, as ratings stored before kept them."""
    old = {**result, "scoring": {**result["scoring"], "title": "线性 0–100 linear"}}
    old["table"] = {
        **result["table"],
        "title": "酒、饮料和食品 liquor and food (example — replace)",
    }
    old["choices"] = [{**c, "source": c["source"]["en"]} for c in result["choices"]]
    policy = result["policy"]
    old["policy"] = {
        **policy,
        "methods": {n: {**m, "title": m["title"]["zh"]} for n, m in policy["methods"].items()},
        "choices": {n: {**c, "source": c["source"]["en"]} for n, c in policy["choices"].items()},
    }
    return old


def test_a_rating_s_texts_come_in_both_languages_and_old_ratings_still_load(
    api: Api, cast: Cast
) -> None:
    credit = cast.add("credit", "credit_manager")
    url = _rated_customer(api, credit)
    _set(credit, url, "白酒")
    rated = credit.post(f"{url}/ratings", json=ENTERED)
    assert rated.status_code == 201, rated.text
    result = rated.json()["result"]
    assert result["scoring"]["title"] == {"zh": "线性 0–100 分", "en": "linear, 0–100 points"}
    assert result["table"]["title"] == {"zh": "酒、饮料和食品", "en": "liquor, beverages and food"}
    grade_cap = _choices(rated.json())["grade_cap"]["source"]
    assert grade_cap["zh"].startswith("003 篇5 第十四条：新开发或关键资料不全的客户")
    assert grade_cap["en"].startswith("003 篇5 第十四条: a new customer")

    # Stored as ratings were before texts had two languages: still listed and in the profile,
    # each text as stored, in either language.
    with unit_of_work(api.backends.sessions) as session:
        row = session.scalars(
            select(Rating).where(Rating.id == uuid.UUID(rated.json()["id"]))
        ).one()
        row.result = _as_stored_before(row.result)
    listed = credit.get(f"{url}/ratings")
    assert listed.status_code == 200, listed.text
    (old,) = listed.json()
    assert old["result"]["scoring"]["title"] == {
        "zh": "线性 0–100 linear",
        "en": "线性 0–100 linear",
    }
    source = _choices(old)["method"]["source"]
    assert (
        source["zh"]
        == source["en"]
        == ("ours: the seeds give no scoring method between the reference values")
    )
    profile = credit.get(f"{url}/credit-profile")
    assert profile.status_code == 200, profile.text
    assert profile.json()["latest"] == old
    # The preview is made now, with both languages again.
    assert profile.json()["preview"]["scoring"]["title"]["zh"] == "线性 0–100 分"
