"""Accounting checks on a statement's figures, and what they do to the figures' confidence.

A check runs per period column whenever every figure it needs was printed; rounding is allowed
up to one unit of the last printed digit per term added. A failing check sends the statement to
review and halves the confidence of the figures it involves; a passing one raises it, since two
independent lines agreeing to the last digit is the best evidence a figure was read right.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ingest.statements.schemas import Check, Figure, StatementType

PASSED_BONUS = 0.08


@dataclass(frozen=True)
class Rule:
    """`left` relates to the sum of `right`; `optional` terms count as zero when not printed."""

    name: str
    kind: StatementType
    relation: Literal["=", "<="]
    left: tuple[str, ...]
    right: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # Deductions some statements print as negatives and others as positives.
    either_sign: tuple[str, ...] = ()
    unless: str | None = None  # the rule is left to a sharper one when this item is printed
    # Terms some statements add here and others have already counted elsewhere: the exchange
    # effect is inside the net change under CAS and after the opening balance under IFRS.
    maybe: tuple[str, ...] = ()


RULES = (
    Rule("assets = liabilities + equity", "balance_sheet", "=",
         ("total_assets",), ("total_liabilities", "total_equity")),
    Rule("total liabilities and equity = total assets", "balance_sheet", "=",
         ("total_liabilities_and_equity",), ("total_assets",)),
    Rule("current assets <= total assets", "balance_sheet", "<=",
         ("current_assets",), ("total_assets",)),
    Rule("current liabilities <= total liabilities", "balance_sheet", "<=",
         ("current_liabilities",), ("total_liabilities",)),
    Rule("revenue <= total revenue", "income_statement", "<=", ("revenue",), ("total_revenue",)),
    Rule("net profit = total profit - income tax", "income_statement", "=",
         ("net_profit",), ("total_profit", "income_tax"), either_sign=("income_tax",)),
    Rule("net profit <= total profit", "income_statement", "<=",
         ("net_profit",), ("total_profit",), unless="income_tax"),
    Rule("operating + investing + financing + exchange effect = net change in cash",
         "cash_flow_statement", "=", ("net_change_in_cash",),
         ("operating_cash_flow", "investing_cash_flow", "financing_cash_flow", "fx_effect"),
         optional=("fx_effect",), maybe=("fx_effect",)),
    Rule("opening cash + net change = closing cash", "cash_flow_statement", "=",
         ("cash_end",), ("cash_begin", "net_change_in_cash", "fx_effect"),
         optional=("fx_effect",), maybe=("fx_effect",)),
)  # fmt: skip


def check(kind: StatementType, items: dict[str, Figure]) -> list[Check]:
    """Run the rules for `kind` on both period columns of the figures."""
    results = []
    for rule in RULES:
        if rule.kind != kind:
            continue
        for column in ("current", "prior"):
            result = _run(rule, column, items)
            if result is not None:
                results.append(result)
    return results


def _run(rule: Rule, column: str, items: dict[str, Figure]) -> Check | None:
    if rule.unless in items:
        return None
    values: dict[str, Decimal] = {}
    for code in rule.left + rule.right:
        figure = items.get(code)
        value = None if figure is None else getattr(figure, column)
        if value is None and code not in rule.optional:
            return None
        if value is not None:
            values[code] = value
    left = sum((values[c] for c in rule.left if c in values), Decimal(0))
    right = sum((values[c] for c in rule.right if c in values and c not in rule.maybe), Decimal(0))
    quantum = max(Decimal(1).scaleb(int(v.as_tuple().exponent)) for v in values.values())
    slack = quantum * (len(values) - 1)
    differences = [left - right] + [
        left - right + 2 * values[c] for c in rule.either_sign if c in values
    ]
    differences += [d - values[c] for d in differences for c in rule.maybe if c in values]
    if rule.relation == "=":
        ok = any(abs(d) <= slack for d in differences)
    else:
        ok = left <= right + slack
    terms = [
        f"{'± ' if c in rule.either_sign else '+ '}{c} {values[c]:,}"
        for c in rule.right
        if c in values
    ]
    shown = " ".join(terms)[2:]
    stated = " + ".join(f"{c} {values[c]:,}" for c in rule.left)
    detail = f"{column}: {stated} {rule.relation} {shown}" + ("" if ok else " does not hold")
    return Check(name=f"{rule.name} ({column})", ok=ok, detail=detail, items=sorted(values))


def apply(items: dict[str, Figure], checks: list[Check]) -> dict[str, Figure]:
    """The figures with confidence raised by passing checks and halved by failing ones."""
    failed = {code for c in checks if not c.ok for code in c.items}
    passed = {code for c in checks if c.ok for code in c.items}
    adjusted = {}
    for code, figure in items.items():
        confidence = figure.confidence
        if code in failed:
            confidence = round(confidence / 2, 3)
        elif code in passed:
            confidence = round(min(1.0, confidence + PASSED_BONUS), 3)
        adjusted[code] = figure.model_copy(update={"confidence": confidence})
    return adjusted
