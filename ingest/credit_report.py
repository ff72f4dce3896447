"""The customer credit report (客户信用报告) as a PDF: master data, completeness, the latest
rating with its inputs, ratios over the years with charts, payments as the ERP delivered them,
warnings, custodian.

Invariants: every figure is printed as the profile and the completeness check give it (nothing
recomputed here); the CJK font is embedded (a reader without Asian fonts still sees the text);
every page names the customer's secrecy, and the report says when, in which zone, and for whom
it was made.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from html import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ingest.completeness_schemas import CompletenessItem
from ingest.credit_formulas import DEFINITIONS
from ingest.credit_profile_schemas import CreditProfile
from ingest.credit_report_charts import CHARTS, title_of
from ingest.credit_report_charts import chart as chart_of
from ingest.credit_report_words import WORDS, Language
from ingest.credit_schemas import Indicator, Unit, YearRatios
from ingest.rating_schemas import IndicatorScore
from ingest.stamp import PDF_FONT, register_pdf_font
from ingest.upkeep import NAMES


@dataclass(frozen=True)
class ReportFacts:
    """What the report prints, gathered by `ingest.credit_reports`."""

    name: str
    master: list[tuple[str, str]]  # (word, value already written for print), in order
    secrecy: str
    custodian: str
    department: str
    completeness: Sequence[CompletenessItem]
    profile: CreditProfile
    made_at: datetime  # in the company's zone
    made_by: str


def report_pdf(facts: ReportFacts, language: Language) -> bytes:
    """The report as PDF bytes, in Chinese or English (indicator names are bilingual)."""
    register_pdf_font()
    words = WORDS[language]
    text = ParagraphStyle("text", fontName=PDF_FONT, fontSize=9, leading=12, wordWrap="CJK")
    heading = ParagraphStyle("h", parent=text, fontSize=12, leading=16, spaceBefore=10)
    title = ParagraphStyle("t", parent=text, fontSize=17, leading=24, alignment=1)
    zone = facts.made_at.strftime("%Z") or facts.made_at.strftime("UTC%z")
    made = f"{facts.made_at:%Y-%m-%d %H:%M} ({zone})"
    story: list[Flowable] = [
        _p(words["title"], title),
        _p(facts.name, title),
        Spacer(1, 3 * mm),
        _p(words["made"].format(when=made, who=facts.made_by), text),
        _p(words["master"], heading),
        _table(text, _master(words, facts), (45 * mm, 125 * mm)),
        _p(words["completeness"], heading),
        _completeness(text, words, facts.completeness),
        _p(words["rating"], heading),
        *_rating(text, words, facts.profile),
        _p(words["ratios"], heading),
        *_ratios(text, words, facts.profile.preview.ratios),
        _p(words["payments"], heading),
        *_payments(text, language, facts.profile),
        _p(words["warnings"], heading),
        *_warnings(text, language, facts.profile),
    ]
    out = io.BytesIO()
    foot = words["foot"].format(secrecy=words[f"secrecy_{facts.secrecy}"], when=made)

    def page(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(PDF_FONT, 8)
        canvas.drawString(18 * mm, 10 * mm, foot)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"{document.page}")
        canvas.restoreState()

    sheet = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
        bottomMargin=18 * mm, title=words["title"], author="Dangan",
        # Pages start in the embedded font, so none refers to a Helvetica it does not embed.
        initialFontName=PDF_FONT,
    )  # fmt: skip
    sheet.build(story, onFirstPage=page, onLaterPages=page)
    return out.getvalue()


def _master(words: dict[str, str], facts: ReportFacts) -> list[list[str]]:
    rows = [[words[word], value] for word, value in facts.master]
    return [
        *rows,
        [words["department"], facts.department],
        [words["custodian"], facts.custodian],
        [words["secrecy"], words[f"secrecy_{facts.secrecy}"]],
    ]


def _table(
    style: ParagraphStyle, rows: list[list[str]], widths: Sequence[float], header: bool = False
) -> Table:
    cells = [[_p(cell, style) for cell in row] for row in rows]
    table = Table(cells, colWidths=list(widths), repeatRows=1 if header else 0)
    shade = colors.HexColor("#eef2f7") if header else colors.white
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), PDF_FONT),  # else cells start in Helvetica
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), shade),
            ]
        )
    )
    return table


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    # Paragraph reads a little markup: names, addresses and messages are printed as typed.
    return Paragraph(escape(text, quote=False), style)


def _completeness(
    style: ParagraphStyle, words: dict[str, str], items: Sequence[CompletenessItem]
) -> Flowable:
    if not items:
        return _p(words["no_requirements"], style)
    rows = [[words["doc_type"], words["year"], words["state"], words["until"]]]
    for item in items:
        until = item.expires_on or item.due_on
        rows.append([
            NAMES[item.doc_type], str(item.year or "—"),
            words[f"state_{item.state}"], until.isoformat() if until else "—",
        ])  # fmt: skip
    return _table(style, rows, (60 * mm, 25 * mm, 35 * mm, 50 * mm), header=True)


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _rating(style: ParagraphStyle, words: dict[str, str], profile: CreditProfile) -> list[Flowable]:
    latest = profile.latest
    if latest is None:
        return [_p(words["no_rating"], style)]
    due = latest.next_review_on.isoformat() if latest.next_review_on else "—"
    if profile.review_overdue:
        due += f" ({words['overdue']})"
    inputs, request = latest.inputs, latest.result.request
    volume = _money(request.order_volume)
    if request.order_volume_source == "erp" and request.orders_through is not None:
        volume = words["order_volume_erp"].format(amount=volume, day=request.orders_through)
    rows = [
        [words["rated_on"], latest.rated_on.isoformat()],
        [words["rated_by"], latest.rated_by_name],
        [words["grade"], latest.grade or words["ungraded"]],
        [words["score"], "—" if latest.score is None else f"{latest.score}"],
        [words["credit_limit"], _money(latest.credit_limit)],
        [words["allowed_credit"], _money(latest.allowed_credit)],
        [words["next_review"], due],
        [words["order_volume"], volume],
        [words["credit_period"], f"{inputs.credit_period_days}"],
        [words["table"], latest.result.table_name],
    ]
    scores = [[words["indicator"], words["value"], words["score"], words["weight"]]]
    for scored in latest.result.scores:
        scores.append([
            title_of(scored.indicator), _scored_value(scored),
            f"{scored.score}", f"{scored.weight}",
        ])  # fmt: skip
    return [
        _table(style, rows, (45 * mm, 125 * mm)),
        Spacer(1, 3 * mm),
        _table(style, scores, (70 * mm, 40 * mm, 30 * mm, 30 * mm), header=True),
    ]


def _scored_value(scored: IndicatorScore) -> str:
    # As the seed tables write it (%, times or yuan), else as the ratio table does.
    if scored.value_shown is not None:
        if scored.shown_unit == "yuan":
            return _money(scored.value_shown)
        return f"{scored.value_shown:.2f} {scored.shown_unit or ''}".strip()
    if scored.value is None:
        return "—"
    return _shown(scored.value, DEFINITIONS[scored.indicator].unit)


def _shown(value: Decimal, unit: Unit) -> str:
    if unit == Unit.fraction:
        return f"{value * 100:.2f} %"
    if unit == Unit.yuan:
        return _money(value)
    return f"{value:.2f}"


def _ratios(
    style: ParagraphStyle, words: dict[str, str], years: list[YearRatios]
) -> list[Flowable]:
    if not years:
        return [_p(words["no_ratios"], style)]
    ordered = sorted(years, key=lambda y: y.year)
    rows = [[words["indicator"], *(str(y.year) for y in ordered)]]
    for indicator in Indicator:
        found = [y.ratios.get(indicator) for y in ordered]
        if any(found):
            rows.append([
                title_of(indicator),
                *("—" if r is None else _shown(r.value, r.unit) for r in found),
            ])  # fmt: skip
    width = (100 * mm) / max(len(ordered), 1)
    story: list[Flowable] = [
        _table(style, rows, (70 * mm, *([width] * len(ordered))), header=True),
        _p(words["ratios_note"], style),
    ]
    for label, unit, indicators in CHARTS:
        chart = chart_of(words[label], ordered, unit, indicators)
        if chart is not None:
            story += [Spacer(1, 4 * mm), chart]
    return story


def _payments(style: ParagraphStyle, language: Language, profile: CreditProfile) -> list[Flowable]:
    words, paid = WORDS[language], profile.payments
    if paid is None:
        return [_p(words["no_payments"], style)]
    rows = [
        [words["as_of"], paid.as_of.isoformat()],
        [words["exposure"], _money(paid.exposure)],
        [words["overdue_amount"], _money(paid.overdue)],
        *(
            [
                words["ageing"].format(start=b.from_days, end=b.to_days)
                if b.to_days is not None
                else words["ageing_beyond"].format(start=b.from_days - 1),
                _money(b.amount),
            ]
            for b in paid.ageing
        ),
        [words["longest_overdue"], str(paid.longest_overdue_days)],
        [words["sales_90_days"], _money(paid.sales_90_days)],
        [words["dso"], "—" if paid.dso_days is None else f"{paid.dso_days}"],
        [words["bad_debts"], _money(paid.bad_debts_12_months)],
    ]
    said = [w.message_zh if language == "zh" else w.message_en for w in paid.warnings]
    return [_table(style, rows, (80 * mm, 90 * mm)), *(_p(f"· {s}", style) for s in said)]


def _warnings(style: ParagraphStyle, language: Language, profile: CreditProfile) -> list[Flowable]:
    found = profile.preview.warnings
    if not found:
        return [_p(WORDS[language]["no_warnings"], style)]
    return [_p(f"· {w.message_zh if language == 'zh' else w.message_en}", style) for w in found]
