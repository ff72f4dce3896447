// What the credit pages compute from the API's answers: flags on figures, amounts as text,
// check names in the catalogue, and the series of the ratio charts.
import type { Schemas } from "../../api/types";

export type Statement = Schemas["StatementRead"];
export type Figure = Schemas["FigureRead"];
export type Period = Figure["period"];
export type YearRatios = Schemas["YearRatios"];

/** Below this a figure stands out for review: a failed check halves it, OCR starts at 0.7. */
export const UNCERTAIN_BELOW = 0.8;
/** At or above this a figure was confirmed by a passing check (text read 0.9 + 0.08). */
export const CONFIDENT_FROM = 0.95;

export type Confidence = "high" | "medium" | "low";

export function confidenceLevel(confidence: number): Confidence {
  if (confidence >= CONFIDENT_FROM) return "high";
  return confidence < UNCERTAIN_BELOW ? "low" : "medium";
}

interface Check {
  name: string;
  ok: boolean;
  items: string[];
}

function asChecks(checks: Statement["checks"]): Check[] {
  return checks.map((c) => ({
    name: String(c.name ?? ""),
    ok: c.ok === true,
    items: Array.isArray(c.items) ? c.items.map(String) : [],
  }));
}

/** The catalogue keys of the extractor's accounting rules, by the rule's name. */
const CHECK_KEYS: Record<string, string> = {
  "assets = liabilities + equity": "balance",
  "total liabilities and equity = total assets": "balanceTotal",
  "current assets <= total assets": "currentAssets",
  "current liabilities <= total liabilities": "currentLiabilities",
  "revenue <= total revenue": "revenue",
  "net profit = total profit - income tax": "netProfitTax",
  "net profit <= total profit": "netProfit",
  "operating + investing + financing + exchange effect = net change in cash": "cashFlows",
  "opening cash + net change = closing cash": "cashRoll",
  "current assets + non-current assets = total assets": "assetsSubtotal",
  "current liabilities + non-current liabilities = total liabilities": "liabilitiesSubtotal",
  "liabilities + equity = total liabilities and equity": "liabilitiesEquity",
  "operating profit + non-operating income - non-operating expenses = total profit": "incomeChain",
  "closing cash = cash on the balance sheet": "cashTie",
  "net profit = profit opening the cash-flow statement": "netProfitTie",
  "profit before tax = profit opening the cash-flow statement": "profitBeforeTaxTie",
  "period columns named by their headings": "periods",
  "every page that may hold a statement read": "unread",
};

export interface NamedCheck {
  /** `credit.check.<key>` when the rule is known, else null (the name is shown as given). */
  key: string | null;
  name: string;
  period: Period | null;
  ok: boolean;
  items: string[];
}

/** A check of the statement, split into its rule and the column it was run on. */
export function nameCheck(check: Check): NamedCheck {
  const found = /^(.*) \((current|prior)\)$/.exec(check.name);
  const rule = found ? found[1] : check.name;
  const period = found ? (found[2] as Period) : null;
  return { key: CHECK_KEYS[rule] ?? null, name: rule, period, ok: check.ok, items: check.items };
}

export function namedChecks(statement: Statement): NamedCheck[] {
  return asChecks(statement.checks).map(nameCheck);
}

/** `code/period` of every figure a failing check involves. */
export function failedFigures(statement: Statement): Set<string> {
  const failed = new Set<string>();
  for (const check of namedChecks(statement)) {
    if (check.ok) continue;
    for (const code of check.items) {
      if (check.period) failed.add(`${code}/${check.period}`);
      else (["current", "prior"] as const).forEach((p) => failed.add(`${code}/${p}`));
    }
  }
  return failed;
}

/** A decimal from the API grouped by thousands, exactly as given (no float rounding). */
export function formatAmount(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const text = String(value);
  const found = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (!found) return text;
  const [, sign, whole, digits = ""] = found;
  // The API keeps four decimals; cents are what a statement prints.
  const fraction = digits.length > 3 ? digits.slice(0, 3) + digits.slice(3).replace(/0+$/, "") : digits;
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${fraction}`;
}

/** The decimal a user typed (thousands separators allowed), or undefined if it is not one. */
export function parseAmount(text: string): string | null | undefined {
  const bare = text.replace(/[,\s，]/g, "");
  if (bare === "") return null;
  return /^-?\d{1,16}(\.\d{1,2})?$/.test(bare) ? bare : undefined;
}

export type ChartKind = "fraction" | "times" | "yuan";

export interface Series {
  indicator: string;
  /** One value per year of `years`; null where the ratio could not be computed. */
  values: (number | null)[];
}

export interface ChartData {
  kind: ChartKind;
  years: number[];
  series: Series[];
}

// Shares are shown as percentages and sizes in ten thousand yuan, as Chinese reports do.
const SCALE: Record<ChartKind, number> = { fraction: 100, times: 1, yuan: 1 / 10000 };

/** The ratios over the years, one chart per unit, indicators in the API's order. */
export function ratioCharts(years: YearRatios[]): ChartData[] {
  const sorted = [...years].sort((a, b) => a.year - b.year);
  const labels = sorted.map((y) => y.year);
  const charts: ChartData[] = [];
  for (const kind of ["fraction", "times", "yuan"] as const) {
    const indicators: string[] = [];
    for (const year of sorted) {
      for (const [indicator, ratio] of Object.entries(year.ratios)) {
        if (ratio && ratio.unit === kind && !indicators.includes(indicator)) indicators.push(indicator);
      }
    }
    if (indicators.length === 0) continue;
    const series = indicators.map((indicator) => ({
      indicator,
      values: sorted.map((year) => {
        const ratio = (year.ratios as Record<string, Schemas["Ratio"] | undefined>)[indicator];
        return ratio ? Math.round(Number(ratio.value) * SCALE[kind] * 100) / 100 : null;
      }),
    }));
    charts.push({ kind, years: labels, series });
  }
  return charts;
}

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A period's end as far as printed: "2025-09-30" in Chinese, "30 Sep 2025" in English. */
export function periodEnd(end: string, english: boolean): string {
  const found = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(end);
  if (!english || !found) return end;
  const [, year, month, day] = found;
  const name = month ? MONTH_NAMES[Number(month) - 1] : undefined;
  return [day ? String(Number(day)) : null, name, year].filter(Boolean).join(" ");
}

export interface PeriodText {
  /** `credit.statement.<key>` */
  key: "periodOf" | "periodAt" | "periodLengthUnknown" | "periodUnknown";
  months: number | null;
  end: string;
}

/** How a column's period reads: a flow's months and end, a balance sheet's date, or nothing. */
export function describePeriod(type: string, months: number | null, end: string | null, english: boolean): PeriodText {
  const at = end ? periodEnd(end, english) : "";
  if (months != null) return { key: "periodOf", months, end: at };
  if (!end) return { key: "periodUnknown", months: null, end: at };
  return { key: type === "balance_sheet" ? "periodAt" : "periodLengthUnknown", months: null, end: at };
}

/** A share of 1 from the API as a percentage, as the seed's tables write it: "0.1234" → "12.34%". */
export function formatPercent(value: string | number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || value === "") return "";
  const share = Number(value);
  if (!Number.isFinite(share)) return String(value);
  // Rounded on the percentage, so 0.125 reads 12.50%, never 12.499999%.
  return `${(Math.round(share * 100 * 10 ** digits) / 10 ** digits).toFixed(digits)}%`;
}

/** An indicator's value in its unit: shares in percent, times as they are, yuan grouped. */
export function formatRatio(unit: string, value: string | number): string {
  if (unit === "fraction") return formatPercent(value);
  if (unit === "yuan") return formatAmount(value);
  return Number(value).toFixed(2);
}

/** An indicator's value as the seed's tables write it: "%" with two decimals, times, or yuan. */
export function formatShown(unit: string | null | undefined, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  if (unit === "%") return `${Number(value).toFixed(2)}%`;
  if (unit === "yuan") return formatAmount(value);
  return Number(value).toFixed(2);
}

type Score = Schemas["IndicatorScore"];

/** The preview's indicators whose value or points differ from the stored rating's (all of them
 * when there is none to compare with), so the preview repeats nothing already shown. */
export function changedScores(latest: Schemas["Rating"] | null | undefined, preview: Schemas["Rating"]): Score[] {
  if (!latest) return preview.scores;
  const before = new Map(latest.scores.map((s) => [s.indicator, s]));
  return preview.scores.filter((s) => {
    const old = before.get(s.indicator);
    return !old || old.value !== s.value || old.score !== s.score || old.outcome !== s.outcome;
  });
}

/** The figures an indicator of the rated year was computed from, each with where it was read. */
export function scoreInputs(rating: Schemas["Rating"], indicator: string): Schemas["FigureRef"][] {
  const year = rating.ratios.find((y) => y.year === rating.rated_year);
  const ratio = (year?.ratios as Record<string, Schemas["Ratio"] | undefined> | undefined)?.[indicator];
  if (ratio) return ratio.inputs;
  const extreme = (year?.extremes as Record<string, Schemas["Extreme"] | undefined> | undefined)?.[indicator];
  return extreme?.inputs ?? [];
}
