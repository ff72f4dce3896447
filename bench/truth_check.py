"""Accounting identities on hand-read truth, so a mistyped figure is caught before it judges.

Independent of `ingest.statements.checks` on purpose: the truth must not share code with the
extractor it scores. Every identity allows one unit of the last printed digit per term added
(statements are rounded line by line). A record may list an identity the source itself breaks
under `source_errors` of its statement (e.g. a printed total off by one); that one is reported,
not failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

# Terms of the form "-name" are subtracted; "±name" may be printed with either sign (income tax
# as a positive expense or as a negative deduction); "?name" counts when printed and may also be
# already inside the total (the exchange effect under IFRS sits after the net change).
IDENTITIES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "balance_sheet": (
        ("资产总计", "=", ("负债合计", "所有者权益合计")),
        ("负债和所有者权益总计", "=", ("资产总计",)),
        ("流动资产合计", "<=", ("资产总计",)),
        ("流动负债合计", "<=", ("负债合计",)),
        ("货币资金", "<=", ("流动资产合计",)),
        ("存货", "<=", ("流动资产合计",)),
        ("应收账款", "<=", ("流动资产合计",)),
    ),
    "income_statement": (
        ("净利润", "=", ("利润总额", "±所得税费用")),
        ("营业收入", "<=", ("营业总收入",)),
    ),
    "cash_flow_statement": (
        (
            "现金及现金等价物净增加额",
            "=",
            ("经营活动产生的现金流量净额", "投资活动产生的现金流量净额",
             "筹资活动产生的现金流量净额", "?汇率变动对现金及现金等价物的影响"),
        ),
        (
            "期末现金及现金等价物余额",
            "=",
            ("期初现金及现金等价物余额", "现金及现金等价物净增加额",
             "?汇率变动对现金及现金等价物的影响"),
        ),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """One identity on one period column of one statement."""

    statement: str
    column: str
    identity: str
    ok: bool
    detail: str


def amount(printed: str | None) -> Decimal | None:
    """The value of an amount as printed: commas, (negatives), a lone dash for nil."""
    if printed is None:
        return None
    text = printed.strip().replace(",", "").replace(" ", "").replace("−", "-")
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    if text in {"-", "—", "–", ""}:
        return Decimal(0)
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {printed!r}") from error
    return -value if negative else value


def _quantum(value: Decimal) -> Decimal:
    return Decimal(1).scaleb(min(0, int(value.as_tuple().exponent)))


def _values(items: dict[str, Any], column: int) -> dict[str, Decimal]:
    values = {}
    for name, item in items.items():
        printed = item["printed"][column] if len(item["printed"]) > column else None
        value = amount(printed)
        if value is not None:
            values[name] = value
    return values


def _holds(left: Decimal, relation: str, right: Decimal, slack: Decimal) -> bool:
    return abs(left - right) <= slack if relation == "=" else left <= right + slack


def _run(
    name: str, relation: str, terms: tuple[str, ...], values: dict[str, Decimal]
) -> tuple[bool, str] | None:
    """Whether the identity holds on these values; None when a required term is not printed."""
    if name not in values:
        return None
    fixed: list[Decimal] = []
    flexible: list[Decimal] = []
    maybe: list[Decimal] = []
    for term in terms:
        mark, key = (term[0], term[1:]) if term[0] in "-±?" else ("+", term)
        if key not in values:
            if mark == "?":
                continue
            return None
        value = values[key]
        (flexible if mark == "±" else maybe if mark == "?" else fixed).append(
            -value if mark == "-" else value
        )
    left = values[name]
    base = sum(fixed, Decimal(0))
    used = [left, *fixed, *flexible, *maybe]
    slack = max(_quantum(v) for v in used) * max(len(used) - 1, 1)
    totals = [base]
    for value in flexible:
        totals = [t + s * abs(value) for t in totals for s in (1, -1)]
    for value in maybe:
        totals += [t + value for t in totals]
    ok = any(_holds(left, relation, total, slack) for total in totals)
    shown = " + ".join(f"{t.lstrip('-±?')}" for t in terms if t.lstrip("-±?") in values)
    return ok, f"{name} {left:,} {relation} {shown} ({', '.join(f'{t:,}' for t in totals)})"


def check_record(record: dict[str, Any]) -> list[Outcome]:
    """Every identity that the record's printed figures allow, per statement and column."""
    outcomes = []
    for statement in record["statements"]:
        kind = statement["type"]
        known = set(statement.get("source_errors", []))
        for column, label in ((0, "current"), (1, "prior")):
            values = _values(statement["items"], column)
            for name, relation, terms in IDENTITIES.get(kind, ()):
                result = _run(name, relation, terms, values)
                if result is None:
                    continue
                ok, detail = result
                identity = f"{name} {relation} {' + '.join(terms)}"
                if not ok and name in known:
                    detail += " [printed so in the source: listed under source_errors]"
                    ok = True
                outcomes.append(Outcome(kind, label, identity, ok, detail))
    return outcomes


def problems(record: dict[str, Any]) -> list[str]:
    """What is wrong with a truth record: values unlike their print, identities that fail."""
    found = []
    for statement in record["statements"]:
        for name, item in statement["items"].items():
            for column, key in enumerate(("current", "prior")):
                printed = item["printed"][column] if len(item["printed"]) > column else None
                value = item.get(key)
                stated = None if value is None else Decimal(str(value))
                if amount(printed) != stated:
                    found.append(f"{statement['type']} {name} {key}: {value} but printed {printed}")
    outcomes = check_record(record)
    found += [f"{o.statement} ({o.column}): {o.detail}" for o in outcomes if not o.ok]
    for statement in record["statements"]:
        if statement["type"] != "balance_sheet":
            continue
        balanced: set[str] = {
            o.column
            for o in outcomes
            if o.statement == "balance_sheet" and o.ok and o.identity.split()[0] in _BALANCE
        }
        for side in ("current", "prior"):
            if side not in balanced and side not in statement.get("unbalanced_columns", []):
                found.append(f"balance_sheet ({side}): no identity ties assets to the other side")
    return found


# A balance sheet counts as verified when either of these ties total assets to the other side.
_BALANCE = {"资产总计", "负债和所有者权益总计"}
