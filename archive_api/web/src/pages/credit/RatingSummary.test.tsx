import { cleanup, render, screen } from "@testing-library/react";
import dayjs from "dayjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Schemas } from "../../api/types";
import i18next from "../../i18n";
import { ratingBody } from "./RatingForm";
import { RatingSummary } from "./RatingSummary";

afterEach(cleanup);

beforeAll(async () => {
  await i18next.changeLanguage("zh");
});

const rating = {
  grade: "AA", combined_score: "82.94", quantitative_score: "84.90", rated_year: 2025,
  next_review_on: "2027-03-31", ratios: [], scores: [], warnings: [],
  request: {
    order_volume: "12000000", orders_through: "2026-03-31", today: "2026-03-31",
    collateral: { description: "厂房抵押", value: "800000" }, previous: null,
  },
  credit_limit: {
    order_volume: "12000000", credit_period_days: 120, order_window_days: 90, limit: "12000000.00",
    risk_coefficient: "0.9", allowed: "10800000.00", terms_days: 90, max_credit_days: 90,
    settlement: "open_credit", collateral_value: "800000",
  },
  change: {
    previous: { rating_id: "r0", rated_on: "2025-12-31", allowed_credit: "9000000.00" },
    allowed_credit: "10800000.00", direction: "raised", needs_reason: true, override_reason: "新签框架合同",
  },
} as unknown as Schemas["Rating"];

const stored = { rated_on: "2026-03-31", rated_by_name: "王信用" } as unknown as Schemas["RatingRead"];

describe("a rating's summary", () => {
  it("shows the credit limit and the allowed credit apart, the capped terms and the coefficient in percent", () => {
    render(<RatingSummary rating={rating} stored={stored} overdue />);
    const value = (label: string) => screen.getByText(label).closest("th")?.nextElementSibling?.textContent;
    expect(value("信用限额")).toBe("12,000,000.00");
    expect(value("赊销额度")).toBe("10,800,000.00");
    expect(value("风险修正系数")).toBe("90%");
    expect(value("账期")).toBe("90 天（录入 120 天，该等级最长 90 天）");
    expect(value("评级人")).toBe("王信用");
    expect(value("订单金额")).toBe("12,000,000（截至 2026-03-31）");
    expect(value("抵押担保")).toBe("厂房抵押 · 800,000");
    expect(value("下次复审")).toBe("2027-03-31已逾期");
    expect(value("较上次评级")).toContain("赊销额度上调：9,000,000.00 → 10,800,000.00（上次评级 2025-12-31）");
    expect(value("较上次评级")).toContain("上调理由：新签框架合同");
  });

  it("says when the order volume is what the ERP invoiced", () => {
    const erp = { ...rating.request, order_volume: "900000", orders_through: "2026-11-30", order_volume_source: "erp" };
    render(<RatingSummary rating={{ ...rating, request: erp } as Schemas["Rating"]} stored={stored} />);
    const value = (label: string) => screen.getByText(label).closest("th")?.nextElementSibling?.textContent;
    expect(value("订单金额")).toBe("900,000（ERP 发票合计，截至 2026-11-30）");
  });

  it("labels a preview's review as the one a rating made today would set", () => {
    render(<RatingSummary rating={{ ...rating, change: null }} />);
    expect(screen.getByText("若今天评级，下次复审")).toBeTruthy();
    expect(screen.queryByText("评级人")).toBeNull();
    expect(screen.queryByText("已逾期")).toBeNull();
  });
});

describe("a rating entered", () => {
  it("sends every factor, and collateral only when both its fields are given", () => {
    const factors = {
      industry_position: 90, market_competitiveness: 80, cooperation_years: 70,
      management_reputation: 60, policy_support: 50,
    };
    const body = ratingBody({
      factors, order_volume: 9000000, credit_period_days: 60, orders_through: dayjs("2026-09-30"),
      collateral_description: " 房产 ", collateral_value: null, override_reason: "  ",
    });
    expect(body.qualitative_factors?.map((f) => [f.factor, f.score])).toEqual([
      ["industry_position", "90"], ["market_competitiveness", "80"], ["cooperation_years", "70"],
      ["management_reputation", "60"], ["policy_support", "50"],
    ]);
    expect([body.orders_through, body.collateral, body.override_reason]).toEqual(["2026-09-30", null, null]);
    const secured = ratingBody({ factors, order_volume: 1, credit_period_days: 30, collateral_description: "房产", collateral_value: 500000 });
    expect(secured.collateral).toEqual({ description: "房产", value: "500000" });
  });

  it("says when open warnings froze the allowed credit, and what it was before", () => {
    const cut = {
      ...rating,
      credit_limit: {
        ...rating.credit_limit,
        allowed: "0.00",
        warning_cut: { warnings: ["license_expired"], share: "0", frozen: true, allowed_before: "10800000.00" },
      },
    } as unknown as Schemas["Rating"];
    render(<RatingSummary rating={cut} />);
    expect(screen.getByText("因预警冻结（原 10,800,000.00）")).toBeTruthy();
    expect(screen.getByText("0.00")).toBeTruthy();
  });
});
