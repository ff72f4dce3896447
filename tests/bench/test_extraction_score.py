"""How bench.extraction judges extracted figures against truth: what BENCHMARKS.md reports."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from bench.extraction import score
from ingest.statements import Check, Figure, Statement


def _figure(current: str | None, prior: str | None, confidence: float) -> Figure:
    return Figure(
        current=None if current is None else Decimal(current),
        prior=None if prior is None else Decimal(prior),
        page=1,
        label="",
        raw=[current, prior],
        position=(0, 0, 0, 0),
        confidence=confidence,
    )


def _statement(scope: str, items: dict[str, Figure], failing: list[str] | None = None) -> Statement:
    checks = (
        [Check(name="assets = liabilities + equity", ok=False, detail="", items=failing)]
        if failing
        else []
    )
    return Statement(
        type="balance_sheet", scope=scope, title="", pages=[1], unit="元", multiplier=1,
        currency="CNY", columns={}, items=items, checks=checks, needs_review=bool(failing),
    )  # fmt: skip


def _truth(scope: str) -> dict[str, Any]:
    item = {"printed": ["1,000.00", "900.00"]}
    return {
        "file": "small.pdf",
        "scope": scope,
        "statements": [
            {
                "type": "balance_sheet",
                "items": {
                    "资产总计": item,
                    "负债合计": {"printed": ["(400.00)", "380.00"]},
                    "货币资金": {"printed": ["100.00", "90.00"]},
                    "所有者权益合计": {"printed": ["600.00", "520.00"], "derived": True},
                },
                "absent_items": ["存货 (no such line)"],
            }
        ],
        "absent_statements": ["cash_flow_statement"],
    }


def test_exact_wrong_missing_and_spurious_are_told_apart() -> None:
    found = [
        _statement(
            "consolidated",
            {
                "total_assets": _figure("1000.00", "900.00", 0.98),  # exact
                "total_liabilities": _figure("-400.00", "38.00", 0.95),  # a digit lost, sure
                "inventory": _figure("5", "5", 0.6),  # the statement has no such line
                # cash is missing; total equity is derived, so not scored either way
            },
            failing=["total_liabilities"],
        )
    ]
    counts: Counter[str] = Counter()
    wrong: list[str] = []
    score(_truth("consolidated"), found, counts, wrong)
    assert counts["items"] == 3
    assert (counts["exact"], counts["wrong"], counts["missing"], counts["spurious"]) == (1, 1, 1, 1)
    assert counts["wrong conf >= 0.9"] == 1
    assert counts["wrong 0.5-0.8"] == 1
    assert counts["wrong flagged"] == 1  # the failing check names total liabilities
    assert counts["wrong sure unflagged"] == 0
    assert len(wrong) == 2


def test_a_confident_wrong_value_no_check_names_breaks_the_promise() -> None:
    found = [_statement("consolidated", {"total_assets": _figure("100.00", "900.00", 0.9)})]
    counts: Counter[str] = Counter()
    score(_truth("consolidated"), found, counts, [])
    assert counts["wrong sure unflagged"] == 1


def test_a_statement_the_document_lacks_counts_its_figures_as_wrong() -> None:
    bogus = _statement("consolidated", {"cash_end": _figure("1", "2", 0.9)})
    found = [bogus.model_copy(update={"type": "cash_flow_statement"})]
    counts: Counter[str] = Counter()
    score(_truth("consolidated"), found, counts, [])
    assert counts["spurious statements"] == 1
    assert counts["spurious"] == 1
    assert counts["wrong sure unflagged"] == 1


def test_group_accounts_are_scored_on_consolidated_statements_company_ones_on_the_parent() -> None:
    parent = _statement("parent", {"total_assets": _figure("1000.00", "900.00", 0.9)})
    group = _statement("consolidated", {"total_assets": _figure("7.00", "9.00", 0.9)})
    for scope, exact in (("consolidated", 0), ("company (no consolidated statements)", 1)):
        counts: Counter[str] = Counter()
        score(_truth(scope), [group, parent], counts, [])
        assert counts["exact"] == exact
