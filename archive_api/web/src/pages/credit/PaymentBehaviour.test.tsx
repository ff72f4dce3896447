import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Schemas } from "../../api/types";
import i18next from "../../i18n";
import { PaymentBehaviour } from "./PaymentBehaviour";

afterEach(cleanup);

beforeAll(async () => {
  await i18next.changeLanguage("zh");
});

const payments = {
  as_of: "2026-11-30", exposure: "185000.00", overdue: "125000.00", longest_overdue_days: 91,
  sales_90_days: "190000.00", dso_days: "87.6", bad_debts_12_months: "3000.00", transactions: 8,
  ageing: [
    { from_days: 1, to_days: 30, amount: "30000.00" },
    { from_days: 31, to_days: 60, amount: "0.00" },
    { from_days: 61, to_days: 90, amount: "0.00" },
    { from_days: 91, to_days: null, amount: "95000.00" },
  ],
  warnings: [
    { code: "payment_delay", message_zh: "付款逾期 91 天，超过 30 天", message_en: "A payment is 91 days overdue, more than 30", figures: {} },
  ],
} as unknown as Schemas["PaymentBehaviour"];

describe("the payment behaviour card", () => {
  it("shows the exposure, the longest overdue, DSO, the ageing and the warnings", () => {
    render(<PaymentBehaviour payments={payments} asOf="2026-11-30" />);
    const value = (label: string) => screen.getByText(label).closest("th")?.nextElementSibling?.textContent;
    expect(screen.getByText("付款行为（ERP 交易，截至 2026-11-30）")).toBeTruthy();
    expect(value("应收账款敞口")).toBe("185,000.00");
    expect(value("其中逾期")).toBe("125,000.00");
    expect(value("最长逾期")).toBe("91 天");
    expect(value("近 12 个月坏账核销")).toBe("3,000.00");
    expect(screen.getByText("付款逾期 91 天，超过 30 天")).toBeTruthy();
    const over = screen.getByText("逾期 90 天以上").closest("tr");
    expect(over?.textContent).toContain("95,000.00");
  });

  it("says when nothing was imported, in English too", async () => {
    await i18next.changeLanguage("en");
    render(<PaymentBehaviour payments={null} asOf="2026-11-30" />);
    expect(screen.getByText("No transactions imported from the ERP or finance systems yet")).toBeTruthy();
    await i18next.changeLanguage("zh");
  });
});
