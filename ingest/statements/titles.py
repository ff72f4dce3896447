"""Statement titles: which statement a printed line names, and whose.

A title line names a statement (合并资产负债表, "Consolidated statement of cash flows",
資產負債表 …). OCR misreads a character of a Chinese title now and then, most of all the
traditional ones its model lacks (資產負債表 read as 资产负责表, 現金流量表 as 现金流最表), or
leaves specks of a graphic on its line; a scanned line is therefore also read `loosely`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.statements.chart import Kind
from ingest.statements.labels import fold

Scope = Literal["consolidated", "parent"]  # as a title names it
_CN_TITLE = re.compile(
    r"(中期)?(简明)?"  # 中期简明综合…: Hong Kong interim reports
    r"(?P<scope>合并|综合|母公司|本公司|公司|本行|银行|集团)?(及(母公司|本公司|公司|本行|银行))?"
    r"(?P<kind>资产负债表|财务状况表|利润表|损益表|利润及利润分配表|(损益及其他)?(全面|综合)(收益|亏损)表"
    r"|现金流量表|所有者权益变动表|股东权益变动表|权益变动表)"
    r"(\(续\)|续)?(\d{4}年[\d月日度至\-—–~]*)?(续)?"  # a date printed on the title's line
)
_EN_TITLE = re.compile(
    r"(the)?(unaudited|audited|condensed|interim|summary|summarised|summarized)*"
    r"(?P<scope>consolidated|group|company|parentcompany|parent|separate|standalone)?"
    r"(interim|condensed)*"
    r"(statements?of(consolidated)?(?P<kind>financialposition|financialcondition"
    r"|profitorloss(andothercomprehensiveincome)?|(comprehensive)?(income|loss)|operations|earnings"
    r"|cashflows?|changesin\w*equity)|(?P<short>balancesheets?|incomestatements?"
    r"|cashflowstatements?|profitandlossaccounts?))((ofthe)?(?P<owner>company|bank|parent|group))?"
    r"(continued)?"
    r"(asat|asof|at|(forthe)?((financial)?year|(six|three|nine|twelve)?months?|period)?"
    r"(ended|ending))?"
)
_KINDS: dict[str, Kind | None] = {
    "资产负债表": "balance_sheet", "财务状况表": "balance_sheet",
    "financialposition": "balance_sheet", "financialcondition": "balance_sheet",
    "balancesheet": "balance_sheet",
    "现金流量表": "cash_flow_statement", "cashflow": "cash_flow_statement",
    "所有者权益变动表": None, "股东权益变动表": None, "权益变动表": None, "changesin": None,
}  # fmt: skip
_PARENT = (
    "bank",
    "本行",
    "银行",  # a bank's own statements (银行资产负债表) after the group's (合并资产负债表)
    "母公司",
    "本公司",
    "公司",
    "company",
    "parentcompany",
    "parent",
    "separate",
    "standalone",
)


@dataclass(frozen=True)
class Title:
    """A statement title: which statement (None for one we do not read) and whose."""

    kind: Kind | None
    scope: Scope | None
    text: str
    name: str  # the title folded, up to the statement's name: a "（续）" page has the same
    loose: bool = False  # read `loosely`: a character misread, its scope words perhaps lost


def title(text: str) -> Title | None:
    """The statement a line titles, if the whole line is a statement title."""
    if text.rstrip().endswith((".", "。", ",", "，", ";", "；")):
        return None  # a sentence that mentions a statement
    # Remarks in brackets ("(in millions)", "（续）") do not change which statement it is.
    flat = re.sub(r"\([^()]*\)", "", fold(text))
    flat = re.sub(r"[\s.,:()'’\-–—]|^[一二三四五六七八九十\d]+[、.]", "", flat)
    flat = re.sub(r"\d{0,2}(january|february|march|april|may|june|july|august|september"
                  r"|october|november|december)\d*$", "", flat)  # fmt: skip
    found = _CN_TITLE.fullmatch(flat) or _EN_TITLE.fullmatch(flat)
    if found is None:
        return None
    name = found["kind"] or found["short"]
    kind: Kind | None = "income_statement"  # profit or loss, income, operations, earnings …
    for key, named in _KINDS.items():
        if name.startswith(key):
            kind = named
    scope = found["scope"] or (found.groupdict().get("owner"))
    return Title(
        kind,
        None if scope is None else "parent" if scope in _PARENT else "consolidated",
        text,
        # "— Group" and "— Company" after the same words are two statements, not one continued
        flat[: max(found.end(g) for g in ("kind", "short", "owner") if found.groupdict().get(g))],
    )


# The Chinese names of the statements read, for reading a scanned title loosely.
_LOOSE_NAMES: dict[str, Kind] = {
    "资产负债表": "balance_sheet", "财务状况表": "balance_sheet",
    "利润表": "income_statement", "损益表": "income_statement",
    "全面收益表": "income_statement", "综合收益表": "income_statement",
    "现金流量表": "cash_flow_statement",
}  # fmt: skip
# What may stand before a statement's name in its title: 中期简明合并, 合并及母公司, 本行 …
_PREFIX_CHARS = set("中期简明合并综合母公司本行银集团及未经审核")
_PREFIX_LONGEST = 10
# A title continued on another page, or dated on its line, ends in these after its name.
_AFTER_NAME = re.compile(r"续?([年月日度至止]*续?)$")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LOOSE_SCOPES: dict[str, Scope] = {
    "合并": "consolidated", "综合": "consolidated", "集团": "consolidated",
    "母公司": "parent", "本公司": "parent", "本行": "parent", "银行": "parent", "公司": "parent",
}  # fmt: skip


def loosely(text: str) -> Title | None:
    """The statement a scanned line titles, read with one character of the statement's name
    misread, specks of Latin noise beside it, and at most one unknown character before it; for
    Chinese titles only, where OCR confuses characters of like shape."""
    if text.rstrip().endswith((".", "。", ",", "，", ";", "；")):
        return None
    folded = re.sub(r"\([^()]*\)", "", fold(text))
    chars = _AFTER_NAME.sub("", "".join(_CJK.findall(folded)))
    for name, kind in _LOOSE_NAMES.items():
        head, tail = chars[: -len(name)], chars[-len(name) :]
        if len(tail) != len(name) or tail[-1] != "表":
            continue
        if sum(a != b for a, b in zip(tail, name, strict=True)) > 1:
            continue
        # The words before the name are title words (a note's heading is not), one misread
        if len(head) > _PREFIX_LONGEST or sum(c not in _PREFIX_CHARS for c in head) > 1:
            continue
        scope = min(
            ((head.find(w), whose) for w, whose in _LOOSE_SCOPES.items() if w in head), default=None
        )
        return Title(kind, None if scope is None else scope[1], text, head + name, loose=True)
    return None


def read_title(text: str, scanned: bool) -> Title | None:
    """The statement a line titles: exactly as printed, or on a scan `loosely` too."""
    named = title(text)
    return named if named is not None or not scanned else loosely(text)
