"""Accounting checks on a statement's figures, and ties between the statements of a document.

A check runs per period column whenever every figure it needs was printed; rounding is allowed
up to one unit of the last printed digit per term added. What a check does to confidence is
decided in `confidence`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ingest.statements.labels import normalize
from ingest.statements.schemas import Check, Figure, Statement, StatementType


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
    Rule("current assets + non-current assets = total assets", "balance_sheet", "=",
         ("total_assets",), ("current_assets", "non_current_assets")),
    Rule("current liabilities + non-current liabilities = total liabilities", "balance_sheet",
         "=", ("total_liabilities",), ("current_liabilities", "non_current_liabilities")),
    Rule("liabilities + equity = total liabilities and equity", "balance_sheet", "=",
         ("total_liabilities_and_equity",), ("total_liabilities", "total_equity")),
    Rule("current assets <= total assets", "balance_sheet", "<=",
         ("current_assets",), ("total_assets",)),
    Rule("current liabilities <= total liabilities", "balance_sheet", "<=",
         ("current_liabilities",), ("total_liabilities",)),
    Rule("revenue <= total revenue", "income_statement", "<=", ("revenue",), ("total_revenue",)),
    Rule("operating profit + non-operating income - non-operating expenses = total profit",
         "income_statement", "=", ("total_profit",),
         ("operating_profit", "non_operating_income", "non_operating_expenses"),
         either_sign=("non_operating_expenses",)),
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
    quantum = max(last_digit(v) for v in values.values())
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
    return Check(
        name=f"{rule.name} ({column})",
        ok=ok,
        detail=detail,
        items=sorted(values),
        relation=rule.relation,
    )


_CASH_EQUIVALENTS = re.compile(r"cashandcashequivalents?|现金及现金等价物")
_NOT_ALIKE = re.compile(r"restricted|overdraft|受限|透支|受到限制")


def _cash_alike(flow: Figure, sheet: Figure) -> bool:
    """Whether the balance sheet's cash line is the very total the cash-flow statement closes
    on: cash and cash equivalents on both, none of them restricted or net of overdrafts (货币资金
    holds restricted deposits, so it may differ)."""
    return bool(_CASH_EQUIVALENTS.fullmatch(normalize(sheet.label))) and not _NOT_ALIKE.search(
        normalize(flow.label)
    )


def _always(first: Figure, second: Figure) -> bool:
    return True


@dataclass(frozen=True)
class Tie:
    """A figure of one statement that equals a figure of another of the same document: the
    first of `first`'s codes, or failing that one of the others (an indirect cash-flow
    statement opens on net profit or on profit before tax, whatever its label says)."""

    name: str
    first: tuple[StatementType, tuple[str, ...]]
    second: tuple[StatementType, str]
    expected: Callable[[Figure, Figure], bool]  # whether a difference is an error


_PROFITS = ("net_profit", "total_profit")
TIES = (
    Tie("closing cash = cash on the balance sheet",
        ("cash_flow_statement", ("cash_end",)), ("balance_sheet", "cash"), _cash_alike),
    Tie("net profit = profit opening the cash-flow statement",
        ("income_statement", _PROFITS), ("cash_flow_statement", "cash_flow_net_profit"),
        _always),
    Tie("profit before tax = profit opening the cash-flow statement",
        ("income_statement", _PROFITS[::-1]),
        ("cash_flow_statement", "cash_flow_profit_before_tax"), _always),
)  # fmt: skip


def tie(statements: list[Statement]) -> list[Statement]:
    """The statements with a check added to both sides wherever a tie applies: same scope,
    both figures printed, and headings saying both columns end on the same date."""
    added: dict[int, list[Check]] = {}
    index = {(s.type, s.scope): n for n, s in enumerate(statements)}
    for rule in TIES:
        for scope in sorted({s.scope for s in statements}):
            a, b = index.get((rule.first[0], scope)), index.get((rule.second[0], scope))
            if a is None or b is None:
                continue
            for column in ("current", "prior"):
                found = _tied(rule, statements[a], statements[b], column)
                if found is not None:
                    code, check = found
                    added.setdefault(a, []).append(check.model_copy(update={"items": [code]}))
                    added.setdefault(b, []).append(check)
    return [
        s.model_copy(update={"checks": [*s.checks, *added.get(n, [])]})
        for n, s in enumerate(statements)
    ]


def _tied(rule: Tie, one: Statement, other: Statement, column: str) -> tuple[str, Check] | None:
    """The tie on one column, with the code of `one` it involves, if it applies."""
    second = other.items.get(rule.second[1])
    y = None if second is None else getattr(second, column)
    codes = [
        c for c in rule.first[1] if c in one.items and getattr(one.items[c], column) is not None
    ]
    same = _same_end(one, other, column)
    if second is None or y is None or not codes or same is False:
        return None
    matched = next((c for c in codes if _equal(one, c, column, other, y)), None)
    code, ok = matched or codes[0], matched is not None
    if not ok and (same is None or not rule.expected(one.items[code], second)):
        return None  # the two lines may differ by design or by date: no check either way
    x = getattr(one.items[code], column)
    detail = f"{column}: {code} {x:,} = {rule.second[1]} {y:,}" + ("" if ok else " does not hold")
    name = f"{rule.name} ({column})"
    return code, Check(name=name, ok=ok, detail=detail, items=[rule.second[1]])


def _equal(one: Statement, code: str, column: str, other: Statement, y: Decimal) -> bool:
    """Whether `one`'s figure equals `y` of `other` to the last printed digit of either."""
    return same_amount(getattr(one.items[code], column), one, y, other)


def same_amount(x: Decimal, one: Statement, y: Decimal, other: Statement) -> bool:
    """Whether amounts of two statements, each in its own unit, are equal to the last printed
    digit of either (a figure in millions rounds the same one in thousands)."""
    slack = max(last_digit(x) * one.multiplier, last_digit(y) * other.multiplier)
    return bool(abs(x * one.multiplier - y * other.multiplier) <= slack)


def last_digit(value: Decimal) -> Decimal:
    """What one unit of the amount's last printed digit is worth: the rounding it may carry."""
    return Decimal(1).scaleb(int(value.as_tuple().exponent))


def _same_end(one: Statement, other: Statement, column: str) -> bool | None:
    """Whether the two statements' columns end on the same date: True when the headings say
    so, None when they agree only as far as they go, False when they differ or are unread.

    An interim balance sheet compares with the year end before, its cash-flow statement with
    the same months a year before: a year alone does not show which, so such a tie may vouch
    for equal figures but never fail. Two flows of one report cover the same periods."""
    first, second = one.periods.get(column), other.periods.get(column)
    if first is None or second is None or first.end is None or second.end is None:
        return False
    a, b = first.end.split("-"), second.end.split("-")
    if a[0] != b[0] or (len(a) > 1 and len(b) > 1 and a[1] != b[1]):
        return False
    flows = "balance_sheet" not in (one.type, other.type)
    return True if flows or (len(a) > 1 and len(b) > 1) else None


def digits(odd: dict[tuple[str, str], str], items: dict[str, Figure]) -> list[Check]:
    """Failed checks for figures whose digits are printed unlike their column's (merged
    decimals, separators out of place): `odd` maps (item code, column) to what is wrong."""
    return [
        Check(
            name=f"digits of {code} ({column})",
            ok=False,
            detail=f"{column}: {code} printed {getattr(items[code], column):,}: {reason}",
            items=[code],
        )
        for (code, column), reason in sorted(odd.items())
    ]


PERIODS = "period columns named by their headings"


def periods(doubts: list[str], items: dict[str, Figure]) -> list[Check]:
    """A failed check on every figure when the columns' periods are in doubt: it is stored and
    shown with the others, and confirming the statement has to accept it."""
    if not doubts:
        return []
    return [Check(name=PERIODS, ok=False, detail="; ".join(doubts), items=sorted(items))]
