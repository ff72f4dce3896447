import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Schemas } from "../../api/types";
import i18next from "../../i18n";
import { AverageMargin, IndicatorScores } from "./RatingDetails";
import { RatingMethod } from "./RatingMethod";

afterEach(cleanup);

beforeAll(async () => {
  await i18next.changeLanguage("zh");
});

const source = {
  statement: "balance_sheet", scope: "consolidated", report_year: 2023, column: "current", document_id: "d1", page: 3,
};
const rating = {
  method: "linear",
  table_name: "liquor_food",
  scoring: { title: "linear 0–100", seed: false, low_points: "0", high_points: "100", source: "ours" },
  table: { title: "酒、饮料和食品 liquor and food (example — replace)", example: true, source: "example", indicators: {} },
  scope: "consolidated",
  rated_year: 2023,
  shortfalls: [{ kind: "statement", name: "cash_flow_statement", year: 2023, reason: "no cash_flow_statement for 2023" }],
  cap: { grade: "BBB", uncapped_grade: "AA", reasons: ["1 full fiscal year(s) on file, fewer than 2"] },
  left_out: {},
  choices: [
    { name: "quantitative_weight", value: "0.6 / 0.4", source: "000", seed: true },
    { name: "reference_table", value: "liquor_food", source: "example; chosen by the customer's industry: 白酒", seed: true },
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
  ],
} as unknown as Schemas["Rating"];

describe("how a rating was made", () => {
  it("names the missing statement, the cap and why, the example table and every choice's source", { timeout: 30000 }, () => {
    render(<RatingMethod rating={rating} />);
    expect(screen.getByText("数据不足，不评级（003 篇5 第十四条）：")).toBeTruthy();
    expect(screen.getByText("缺少 2023 年现金流量表")).toBeTruthy();
    expect(screen.getByText("等级上限 BBB（仅按得分为 AA）")).toBeTruthy();
    expect(screen.getByText("示例，需替换")).toBeTruthy();
    expect(screen.getByText("参照表为示例")).toBeTruthy();
    expect(screen.getByText("本系统自定")).toBeTruthy(); // the linear method is Dangan's own
    fireEvent.click(screen.getByText("评级所用的全部设定（2 项）及来源"));
    expect(screen.getByText("定量 / 定性权重")).toBeTruthy();
    expect(screen.getByText("example; chosen by the customer's industry: 白酒")).toBeTruthy();
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
});
