import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/types";
import {
  changedScores,
  confidenceLevel,
  describePeriod,
  failedFigures,
  formatAmount,
  formatPercent,
  formatRatio,
  formatShown,
  nameCheck,
  namedChecks,
  parseAmount,
  periodEnd,
  ratioCharts,
  type Statement,
  type YearRatios,
} from "./logic";

function ratio(indicator: string, unit: string, value: string) {
  return { indicator, title: indicator, formula: "", unit, value, inputs: [], notes: [] };
}

describe("figures under review", () => {
  it("stand out when a failed check or a scan left them uncertain", () => {
    expect(confidenceLevel(0.98)).toBe("high");
    expect(confidenceLevel(0.9)).toBe("medium"); // read from text, but no check covers it
    expect(confidenceLevel(0.7)).toBe("low");
    expect(confidenceLevel(0.45)).toBe("low");
  });

  it("are flagged by the failing checks of their own column only", () => {
    const statement = {
      checks: [
        { name: "assets = liabilities + equity (current)", ok: false, detail: "", items: ["total_assets", "total_equity"] },
        { name: "assets = liabilities + equity (prior)", ok: true, detail: "", items: ["total_assets"] },
      ],
    } as unknown as Statement;
    const failed = failedFigures(statement);
    expect([...failed].sort()).toEqual(["total_assets/current", "total_equity/current"]);
  });

  it("name their checks through the catalogue, and keep an unknown rule's name", () => {
    expect(nameCheck({ name: "revenue <= total revenue (prior)", ok: true, items: [] })).toMatchObject({
      key: "revenue",
      period: "prior",
    });
    expect(nameCheck({ name: "a new rule", ok: false, items: [] })).toMatchObject({ key: null, name: "a new rule", period: null });
  });

  it("all fail, in both columns, when a page that may hold their statement was not read", () => {
    const statement = {
      checks: [{ name: "every page that may hold a statement read", ok: false, detail: "page 5 …", items: ["cash"] }],
    } as unknown as Statement;
    expect(namedChecks(statement)[0]).toMatchObject({ key: "unread", period: null, ok: false });
    expect([...failedFigures(statement)].sort()).toEqual(["cash/current", "cash/prior"]);
  });
});

describe("amounts", () => {
  it("are grouped by thousands exactly as the API gave them", () => {
    expect(formatAmount("25000000.00")).toBe("25,000,000.00");
    expect(formatAmount("-400000")).toBe("-400,000");
    expect(formatAmount("123456789012345678.91")).toBe("123,456,789,012,345,678.91");
    expect(formatAmount(null)).toBe("");
    expect(formatAmount("2150000.0000")).toBe("2,150,000.00");
    expect(formatAmount("0.1250")).toBe("0.125");
  });

  it("are read as typed, separators allowed, anything else refused", () => {
    expect(parseAmount("25,000,001.00")).toBe("25000001.00");
    expect(parseAmount(" -12 ")).toBe("-12");
    expect(parseAmount("")).toBeNull();
    expect(parseAmount("12a")).toBeUndefined();
    expect(parseAmount("1.234")).toBeUndefined();
  });
});

describe("the ratio charts", () => {
  it("draw one chart per unit over the years in order, in % and ten thousand yuan", () => {
    const years = [
      { year: 2023, absent: {}, ratios: { debt_ratio: ratio("debt_ratio", "fraction", "0.5"), current_ratio: ratio("current_ratio", "times", "1.4286"), working_capital: ratio("working_capital", "yuan", "8000000") } },
      { year: 2022, absent: { current_ratio: "no figures" }, ratios: { debt_ratio: ratio("debt_ratio", "fraction", "0.4545") } },
    ] as unknown as YearRatios[];
    const charts = ratioCharts(years);
    expect(charts.map((c) => c.kind)).toEqual(["fraction", "times", "yuan"]);
    expect(charts[0]).toEqual({ kind: "fraction", years: [2022, 2023], series: [{ indicator: "debt_ratio", values: [45.45, 50] }] });
    expect(charts[1].series).toEqual([{ indicator: "current_ratio", values: [null, 1.43] }]);
    expect(charts[2].series[0].values).toEqual([null, 800]);
  });

  it("draw nothing without confirmed figures", () => {
    expect(ratioCharts([])).toEqual([]);
  });
});

describe("a column's period", () => {
  it("reads as its months and end, the end in each language's way", () => {
    expect(describePeriod("income_statement", 9, "2025-09-30", false)).toEqual({
      key: "periodOf", months: 9, end: "2025-09-30",
    });
    expect(describePeriod("income_statement", 9, "2025-09-30", true).end).toBe("30 Sep 2025");
    expect(describePeriod("balance_sheet", null, "2024-12-31", true)).toEqual({
      key: "periodAt", months: null, end: "31 Dec 2024",
    });
  });

  it("never reads as a year when no heading printed its length", () => {
    expect(describePeriod("income_statement", null, "2025", true)).toEqual({
      key: "periodLengthUnknown", months: null, end: "2025",
    });
    expect(describePeriod("cash_flow_statement", null, null, false).key).toBe("periodUnknown");
    expect(periodEnd("2025-09", true)).toBe("Sep 2025");
  });
});

describe("ratios and coefficients", () => {
  it("show shares as percentages, as the seed's reference tables do", () => {
    expect(formatPercent("0.1234")).toBe("12.34%");
    expect(formatPercent("0.9")).toBe("90.00%");
    expect(formatPercent("1.0", 0)).toBe("100%");
    expect(formatPercent("-0.0150")).toBe("-1.50%");
    expect(formatPercent(null)).toBe("");
    expect(formatRatio("fraction", "0.4500")).toBe("45.00%");
    expect(formatRatio("times", "6.2500")).toBe("6.25");
    expect(formatRatio("yuan", "80000000.00")).toBe("80,000,000.00");
  });
});

describe("what a rating shows", () => {
  const score = (indicator: string, value: string | null, points: string) =>
    ({ indicator, value, score: points, outcome: "value" }) as unknown as Schemas["IndicatorScore"];
  const rating = (scores: Schemas["IndicatorScore"][]) => ({ scores }) as unknown as Schemas["Rating"];

  it("writes shares in percent, times and yuan as the seed tables do", () => {
    expect(formatShown("%", "22.81")).toBe("22.81%");
    expect(formatShown("%", "200")).toBe("200.00%");
    expect(formatShown("times", "3.8119")).toBe("3.81");
    expect(formatShown("yuan", "15000000.00")).toBe("15,000,000.00");
    expect(formatShown("%", null)).toBe("");
  });

  it("repeats in the preview only the indicators that changed", () => {
    const before = rating([score("roe", "0.3", "100"), score("roa", "0.1", "80")]);
    const now = rating([score("roe", "0.3", "100"), score("roa", "0.05", "40")]);
    expect(changedScores(before, now).map((s) => s.indicator)).toEqual(["roa"]);
    expect(changedScores(null, now)).toHaveLength(2);
  });
});
