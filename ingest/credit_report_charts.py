"""The credit report's charts: ratios of like scale over the years, one line each."""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm

from ingest.credit_formulas import DEFINITIONS
from ingest.credit_schemas import Indicator, Unit, YearRatios
from ingest.stamp import PDF_FONT

# The charts: indicators of like scale together, each a handful the seed names first.
CHARTS: tuple[tuple[str, Unit, tuple[Indicator, ...]], ...] = (
    ("chart_percent", Unit.fraction, (Indicator.roe, Indicator.gross_margin,
                                      Indicator.debt_ratio, Indicator.cash_ratio,
                                      Indicator.sales_growth)),
    ("chart_times", Unit.times, (Indicator.current_ratio, Indicator.asset_turnover)),
    ("chart_turnover", Unit.times, (Indicator.inventory_turnover,
                                    Indicator.receivables_turnover)),
)  # fmt: skip
_COLOURS = tuple(
    colors.HexColor(c) for c in ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df")
)


def title_of(indicator: Indicator) -> str:
    """An indicator's name as the report prints it (bilingual)."""
    return DEFINITIONS[indicator].title


def chart(
    label: str, years: list[YearRatios], unit: Unit, indicators: tuple[Indicator, ...]
) -> Drawing | None:
    """A line chart of the indicators over the years; None when none of them has a value."""
    scale = Decimal(100) if unit == Unit.fraction else Decimal(1)
    series = []
    for indicator in indicators:
        points = [
            (y.year, float(y.ratios[indicator].value * scale))
            for y in years
            if indicator in y.ratios
        ]
        if points:
            series.append((indicator, points))
    if not series:
        return None
    drawing = Drawing(170 * mm, 70 * mm)
    # Else the chart starts in a Helvetica the PDF does not embed (reportlab reads this name).
    drawing.initialFontName = PDF_FONT  # type: ignore[attr-defined]
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = (
        int(14 * mm),
        int(12 * mm),
        int(100 * mm),
        int(50 * mm),
    )
    plot.data = [points for _, points in series]
    first, last = years[0].year, years[-1].year
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = first - 0.5, last + 0.5
    plot.xValueAxis.valueSteps = list(range(first, last + 1))
    plot.xValueAxis.labelTextFormat = "%d"
    lowest = min(value for _, points in series for _, value in points)
    plot.yValueAxis.valueMin = min(0.0, lowest)  # from zero: a small change stays small
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = PDF_FONT, 7
    for index in range(len(series)):
        plot.lines[index].strokeColor = _COLOURS[index]
        plot.lines[index].symbol = makeMarker("FilledCircle", size=3)  # type: ignore[no-untyped-call]
    drawing.add(plot)
    legend = Legend()
    legend.x, legend.y, legend.fontName, legend.fontSize = int(122 * mm), int(58 * mm), PDF_FONT, 7
    legend.alignment, legend.columnMaximum = "right", len(series)
    legend.colorNamePairs = [(_COLOURS[i], title_of(s[0])) for i, s in enumerate(series)]
    drawing.add(legend)
    drawing.add(String(14 * mm, 65 * mm, label, fontName=PDF_FONT, fontSize=9))
    return drawing
