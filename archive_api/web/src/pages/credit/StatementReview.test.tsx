import { render, screen, within } from "@testing-library/react";
import { App } from "antd";
import { beforeAll, describe, expect, it, vi } from "vitest";
import i18next from "../../i18n";
import type { Statement } from "./logic";
import { StatementReview } from "./StatementReview";

vi.mock("../../session", () => ({ useSession: () => ({ holds: () => true }) }));

beforeAll(async () => {
  await i18next.changeLanguage("zh");
});

function figure(code: string, value: string, confidence: number) {
  return {
    code, period: "current", value, extracted: value, raw: value, label: code, page: 1,
    position: [], confidence, corrected_by_id: null, corrected_at: null, correction_reason: null,
  };
}

const statement = {
  id: "s1", customer_id: "c1", document_id: "d1", version: 1, type: "balance_sheet",
  scope: "consolidated", title: "资产负债表", pages: [1], unit: "千元", multiplier: 1000,
  currency: null, current_label: "期末", prior_label: null, fiscal_year: 2023,
  current_months: null, current_end: "2023-12-31", prior_months: null, prior_end: null,
  checks: [
    { name: "assets = liabilities + equity (current)", ok: false, detail: "", items: ["total_assets", "total_liabilities", "total_equity"] },
  ],
  needs_review: true, status: "extracted", confirmed_by_id: null, confirmed_at: null,
  figures: [figure("cash", "1500.0000", 0.7), figure("total_assets", "25000.0000", 0.45), figure("inventory", "300.0000", 0.98)],
} as unknown as Statement;

describe("a statement under review", () => {
  it("makes uncertain figures and those in failing checks stand out", { timeout: 30000 }, () => {
    render(
      <App>
        <StatementReview customerId="c1" statement={statement} onChanged={() => undefined} />
      </App>,
    );
    const row = (item: string) => screen.getByText(item).closest("tr") as HTMLElement;
    expect(row("货币资金").className).toContain("credit-uncertain");
    expect(within(row("货币资金")).getByText("存疑")).toBeTruthy();
    expect(within(row("资产总计")).getByText("校验未通过")).toBeTruthy();
    expect(within(row("资产总计")).getByText("45%")).toBeTruthy();
    expect(row("存货").className).not.toContain("credit-uncertain");
    expect(within(row("存货")).queryByText("存疑")).toBeNull();
    expect(screen.getByText("需复核")).toBeTruthy();
    expect(screen.getByText("未通过")).toBeTruthy();
    expect(screen.getByText("千元")).toBeTruthy();
    expect(screen.getByText("截至 2023-12-31")).toBeTruthy(); // a balance sheet's date
    const image = screen.getByAltText("报表原件第 1 页") as HTMLImageElement;
    expect(image.getAttribute("src")).toBe("/api/v1/customers/c1/statements/s1/pages/1");
  });

  it("says how many months an interim statement's columns cover", { timeout: 30000 }, async () => {
    const interim = {
      ...statement, type: "income_statement", prior_label: "2024", checks: [], needs_review: false,
      current_months: 9, current_end: "2025-09-30", prior_months: 9, prior_end: "2024-09-30",
    } as unknown as Statement;
    await i18next.changeLanguage("en");
    try {
      render(
        <App>
          <StatementReview customerId="c1" statement={interim} onChanged={() => undefined} />
        </App>,
      );
      expect(screen.getByText("current 9 months to 30 Sep 2025; prior 9 months to 30 Sep 2024")).toBeTruthy();
    } finally {
      await i18next.changeLanguage("zh");
    }
  });
});
