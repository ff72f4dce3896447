import { readFileSync } from "node:fs";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Schemas } from "../../api/types";
import i18next from "../../i18n";
import { AverageMargin, IndicatorScores } from "./RatingDetails";
import { RatingMethod } from "./RatingMethod";

afterEach(cleanup);

// Vitest runs from the web UI's folder.
const css = readFileSync("src/pages/credit/credit.css", "utf-8");

/** The value column of a setting in the table of every choice. */
function settingValue(container: HTMLElement, setting: string): string | null | undefined {
  const choices = container.querySelector(".credit-choices") as HTMLElement;
  return within(choices).getByText(setting).closest("tr")?.children[1]?.textContent;
}

beforeAll(async () => {
  await i18next.changeLanguage("zh");
});

const source = {
  statement: "balance_sheet", scope: "consolidated", report_year: 2023, column: "current", document_id: "d1", page: 3,
};
const rating = {
  method: "linear",
  table_name: "liquor_food",
  scoring: {
    title: { zh: "线性 0–100 分", en: "linear, 0–100 points" }, seed: false, low_points: "0", high_points: "100",
    source: { zh: "本系统自定", en: "ours" },
  },
  table: {
    title: { zh: "酒、饮料和食品", en: "liquor, beverages and food" }, example: true,
    source: { zh: "示例，需替换", en: "example — replace" }, indicators: {},
  },
  policy: {
    indicator_weights: {},
    coverage: {
      required_statements: ["balance_sheet", "income_statement", "cash_flow_statement"],
      required_indicators: ["roe", "debt_ratio"], history_years: 2, capped_grade: "BBB",
    },
    rules: { warning_limits: { license_expired: "0", debt_ratio_rise: "0.5" } },
  },
  scope: "consolidated",
  rated_year: 2023,
  shortfalls: [
    { kind: "statement", name: "cash_flow_statement", year: 2023, reason: "no cash_flow_statement for 2023" },
    {
      kind: "indicator", name: "roa", year: 2023, reason: "no total_profit figure for 2023",
      gap: { code: "total_profit", year: 2023, blank: false },
    },
  ],
  cap: {
    grade: "BBB", uncapped_grade: "AA", history_years: 1, required_years: 2, missing: ["receivables_turnover"],
    reasons: ["1 full fiscal year(s) on file, fewer than 2", "figures not given for receivables_turnover"],
    // The 2023 report compared only its balance sheet with 2022.
    history_gaps: [
      { kind: "statement", name: "income_statement", year: 2022, reason: "no income_statement for 2022" },
      { kind: "statement", name: "cash_flow_statement", year: 2022, reason: "no cash_flow_statement for 2022" },
    ],
  },
  left_out: {},
  choices: [
    { name: "method", value: "linear", source: { zh: "本系统自定：种子文件未给出评分方法", en: "ours: the seeds give no method" }, seed: false },
    { name: "quantitative_weight", value: "0.6 / 0.4", source: { zh: "000 信用评级模型：定量60%", en: "000 信用评级模型: 60 %" }, seed: true },
    { name: "grade_names", value: "AAA, AA, A", source: { zh: "000：七级", en: "000: seven grades" }, seed: true },
    {
      name: "required_statements", value: "balance_sheet, income_statement, cash_flow_statement",
      source: { zh: "000：财务报表", en: "000: financial statements" }, seed: true,
    },
    { name: "required_indicators", value: "roe, debt_ratio", source: { zh: "本系统自定", en: "ours" }, seed: false },
    { name: "grade_cap", value: "BBB below 2 years", source: { zh: "003 篇5 第十四条：新开发", en: "003 篇5 第十四条: a new customer" }, seed: true },
    { name: "indicator_weights", value: "all 1", source: { zh: "本系统自定：权重相等", en: "ours: equal weights" }, seed: false },
    {
      name: "warning_limits", value: "license_expired 0, debt_ratio_rise 0.5",
      source: { zh: "本系统自定：002 §4", en: "ours: 002 §4" }, seed: false,
    },
    {
      name: "reference_table", value: "liquor_food",
      source: { zh: "示例，需替换；按客户所属行业选定：白酒", en: "example — replace; chosen by the customer's industry: 白酒" }, seed: true,
    },
  ],
  method_warnings: [{ code: "example_table", message_zh: "参照表为示例", message_en: "example", figures: {} }],
  ratios: [
    {
      year: 2023,
      ratios: {
        debt_ratio: {
          indicator: "debt_ratio", unit: "fraction", value: "0.2281",
          inputs: [{ code: "total_liabilities", year: 2023, value: "2281000.00", source }],
        },
      },
      absent: {}, extremes: {}, left_out: {},
    },
  ],
  scores: [
    {
      indicator: "debt_ratio", value: "0.2281", high: "0.4", low: "0.7", score: "100", weight: "1", outcome: "value",
      shown_unit: "%", value_shown: "22.81", high_shown: "40.00", low_shown: "70.00",
    },
    {
      indicator: "receivables_turnover", value: null, high: "6", low: "2", score: "0", weight: "1", outcome: "missing",
      reason: "no accounts_receivable figure for 2023", gap: { code: "accounts_receivable", year: 2023, blank: false },
      shown_unit: "%", value_shown: null, high_shown: "600.00", low_shown: "200.00",
    },
  ],
} as unknown as Schemas["Rating"];

describe("how a rating was made", () => {
  it("names the missing statement, the cap and why, the example table and every choice's source", { timeout: 30000 }, () => {
    render(<RatingMethod rating={rating} />);
    expect(screen.getByText("数据不足，不评级（003 篇5 第十四条）：")).toBeTruthy();
    expect(screen.getByText("缺少 2023 年现金流量表")).toBeTruthy();
    expect(screen.getByText("2023 年总资产报酬率无法计算：2023 年利润总额未提供")).toBeTruthy();
    expect(screen.getByText("等级上限 BBB（仅按得分为 AA）")).toBeTruthy();
    expect(screen.getByText("示例，需替换")).toBeTruthy();
    expect(screen.getByText("参照表为示例")).toBeTruthy();
    expect(screen.getByText("本系统自定")).toBeTruthy(); // the linear method is Dangan's own
    fireEvent.click(screen.getByText("评级所用的全部设定（9 项）及来源"));
    expect(screen.getByText("定量 / 定性权重")).toBeTruthy();
    expect(screen.getByText("示例，需替换；按客户所属行业选定：白酒")).toBeTruthy();
  });

  it("says everything in Chinese to a Chinese reader: texts, codes and the grade cap's reasons", { timeout: 30000 }, () => {
    const { container } = render(<RatingMethod rating={rating} />);
    expect(screen.getByText("线性 0–100 分")).toBeTruthy();
    expect(screen.getByText("酒、饮料和食品")).toBeTruthy();
    expect(screen.getByText("档案中连续的完整会计年度仅 1 个，少于 2 个：新开发客户不列入信用A级（003 篇5 第十四条）")).toBeTruthy();
    expect(screen.getByText("2022 年不计为完整年度，缺少：利润表、现金流量表")).toBeTruthy();
    expect(screen.getByText("应收账款周转率的数据未提供：关键资料不全（003 篇5 第十四条）")).toBeTruthy();
    fireEvent.click(screen.getByText("评级所用的全部设定（9 项）及来源"));
    const value = (setting: string) => settingValue(container, setting);
    expect(value("评分方法")).toBe("线性 0–100 分");
    expect(value("必备报表")).toBe("资产负债表、利润表、现金流量表");
    expect(value("必备指标")).toBe("净资产收益率、资产负债率");
    expect(value("等级上限")).toBe("完整年度不足 2 个或关键资料不全时，最高 BBB");
    expect(value("指标权重")).toBe("全部为 1（权重相等）");
    expect(value("等级")).toBe("AAA、AA、A");
    expect(value("预警对赊销额度的影响（保留比例）")).toBe("营业执照已过期：保留 0%、资产负债率大幅上升：保留 50%");
    expect(screen.getByText("003 篇5 第十四条：新开发")).toBeTruthy();
    // No English word and no code is left in the panel, a seed cited aside.
    const shown = (container.textContent ?? "").replace(/\d{3} 信用评级模型|§\d/g, "");
    expect(shown).not.toMatch(/[A-Za-z]{4,}|_/);
  });

  it("says everything in English to an English reader, the seeds cited as they are written", { timeout: 30000 }, async () => {
    await i18next.changeLanguage("en");
    try {
      const { container } = render(<RatingMethod rating={rating} />);
      expect(screen.getByText("linear, 0–100 points")).toBeTruthy();
      expect(screen.getByText("Return on assets 2023 cannot be computed: Total profit for 2023 is not given")).toBeTruthy();
      expect(screen.getByText("liquor, beverages and food")).toBeTruthy();
      expect(screen.getByText(/^1 consecutive full fiscal year\(s\) on file, fewer than 2/)).toBeTruthy();
      expect(screen.getByText("2022 does not count as a full year, missing: Income statement, Cash flow statement")).toBeTruthy();
      expect(screen.getByText("No figures given for Receivables turnover: key data incomplete (003, part 5, article 14)")).toBeTruthy();
      fireEvent.click(screen.getByText("Every setting the rating used (9) and its source"));
      const value = (setting: string) => settingValue(container, setting);
      expect(value("Statements required")).toBe("Balance sheet, Income statement, Cash flow statement");
      expect(value("Indicators required")).toBe("Return on equity, Debt ratio");
      expect(value("Reference table")).toBe("liquor, beverages and food");
      expect(value("Grades")).toBe("AAA, AA, A");
      expect(screen.getByText("003 篇5 第十四条: a new customer")).toBeTruthy();
      expect(screen.getByText("example — replace; chosen by the customer's industry: 白酒")).toBeTruthy();
      // Chinese only where a seed is cited or a customer's own words are quoted.
      const shown = (container.textContent ?? "").replace(/\d{3} (信用评级模型|篇5 第十四条)|白酒/g, "");
      expect(shown).not.toMatch(/\p{Script=Han}/u);
    } finally {
      await i18next.changeLanguage("zh");
    }
  });

  it("shows a rating stored when each text was one string, and its cap's reasons, as stored", () => {
    const old = {
      ...rating,
      scoring: { ...rating.scoring, title: { zh: "线性 0–100 linear", en: "线性 0–100 linear" } },
      cap: { grade: "BBB", uncapped_grade: "AA", reasons: ["1 full fiscal year(s) on file, fewer than 2"], missing: [] },
    } as unknown as Schemas["Rating"];
    render(<RatingMethod rating={old} />);
    expect(screen.getByText("线性 0–100 linear")).toBeTruthy();
    expect(screen.getByText("1 full fiscal year(s) on file, fewer than 2")).toBeTruthy();
  });

  it("says why a year of a part of a year does not count towards the history", () => {
    const gaps = [{ kind: "year", name: "full_year", year: 2022, reason: "2022's flows cover 9 months" }];
    const part = { ...rating, cap: { ...rating.cap, history_gaps: gaps } } as unknown as Schemas["Rating"];
    render(<RatingMethod rating={part} />);
    expect(screen.getByText("2022 年不计为完整年度：仅为部分年度")).toBeTruthy();
  });

  it("keeps a gap between the table's title and its source note", () => {
    const named = { ...rating, table: { ...rating.table, example: false } } as unknown as Schemas["Rating"];
    render(<RatingMethod rating={named} />);
    const note = screen.getByText("示例，需替换");
    expect(note.previousSibling?.textContent ?? note.parentElement?.firstChild?.textContent).toBe("酒、饮料和食品");
    expect(note.classList).toContain("credit-method-note");
    // A class of the style sheet, not a style attribute: the Content-Security-Policy refuses those.
    expect(css).toMatch(/\.credit-method-note\s*{\s*margin-left:\s*8px/);
    expect(note.getAttribute("style")).toBeNull();
  });

  it("in a preview made as the saved rating, repeats no method, table or choice", () => {
    render(<RatingMethod rating={rating} sameAs={rating} />);
    expect(screen.getByText("评分方法、行业参照表与报表口径同已保存评级")).toBeTruthy();
    expect(screen.queryByText("参照表为示例")).toBeNull();
    expect(screen.getByText("缺少 2023 年现金流量表")).toBeTruthy(); // what is missing today still shows
    cleanup();
    render(<RatingMethod rating={rating} sameAs={{ ...rating, table_name: "electronics" }} />);
    expect(screen.getByText("参照表为示例")).toBeTruthy();
  });

  it("shows an indicator in percent as the seed table writes it, and where each input was read", { timeout: 30000 }, () => {
    render(<IndicatorScores rating={rating} />);
    expect(screen.getByText("22.81%")).toBeTruthy();
    expect(screen.getByText("40.00%")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: /展开|expand/i }));
    expect(screen.getByText(/负债合计 2023：2,281,000.00 元 · 资产负债表（合并）2023 年报本期，第 3 页/)).toBeTruthy();
    // A score without a value says, on pointing at it, which figure it lacks.
    expect(screen.getByText("数据缺失（按最低分）").getAttribute("title")).toBe("2023 年应收账款未提供");
  });

  it("shows the 3-year average margin in percent, or names the year it lacks", () => {
    const years = [2021, 2022, 2023].map((year, i) => ({ year, margin: ["0.1", "0.05", "0.15"][i] }));
    const computed = { ...rating, average_margin: { shown: "10.00", years, shortfalls: [] } } as unknown as Schemas["Rating"];
    render(<AverageMargin rating={computed} />);
    expect(screen.getByText(/近三年平均利润率：10.00%（2021 10.00%、2022 5.00%、2023 15.00%）/)).toBeTruthy();
    cleanup();
    const short = {
      ...rating,
      average_margin: {
        shown: null, years,
        shortfalls: [{ kind: "year", name: "average_profit_margin_3y", year: 2021, reason: "no revenue or net_profit for 2021" }],
      },
    } as unknown as Schemas["Rating"];
    render(<AverageMargin rating={short} />);
    expect(screen.getByText(/数据不足，未计算：缺少 2021 年营业收入或净利润/)).toBeTruthy();
  });

  it("names what each year lacks for the average margin in the reader's language", async () => {
    const years = [
      { year: 2021, revenue: "100", net_profit: null, margin: null },
      { year: 2022, revenue: "0", net_profit: "-5", margin: null },
      { year: 2023, revenue: "90", net_profit: "9", margin: null },
    ];
    const shortfalls = [
      { kind: "year", name: "average_profit_margin_3y", year: 2021, reason: "no net_profit for 2021: three years needed" },
      { kind: "indicator", name: "average_profit_margin_3y", year: 2022, reason: "no revenue in 2022: the margin is undefined" },
      { kind: "year", name: "average_profit_margin_3y", year: 2023, reason: "2023's income statement covers 9 months, not a year" },
    ];
    const short = { ...rating, average_margin: { shown: null, years, shortfalls } } as unknown as Schemas["Rating"];
    render(<AverageMargin rating={short} />);
    expect(
      screen.getByText(
        /缺少 2021 年营业收入或净利润（需三年利润表）；2022 年营业收入不大于零，利润率无意义；2023 年利润表不足一年/,
      ),
    ).toBeTruthy();
    cleanup();
    await i18next.changeLanguage("en");
    try {
      render(<AverageMargin rating={short} />);
      expect(screen.getByText(/revenue for 2022 is not above zero: the margin has no meaning; the income statement for 2023/)).toBeTruthy();
    } finally {
      await i18next.changeLanguage("zh");
    }
  });
});
