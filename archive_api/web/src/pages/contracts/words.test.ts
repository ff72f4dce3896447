import { describe, expect, it } from "vitest";
import { changeWords, lastHalf, money } from "./words";

describe("the ledger's words", () => {
  it("shows an amount with grouped digits, two decimals and its currency", () => {
    expect(money("125000.5", "CNY")).toBe("125,000.50 CNY");
    expect(money("1234567.89", "USD")).toBe("1,234,567.89 USD");
    expect(money("12", "CNY")).toBe("12.00 CNY");
    expect(money(null, "CNY")).toBe("—");
  });

  it("offers the last half year that has ended", () => {
    expect(lastHalf(new Date(2026, 6, 3))).toEqual({ year: 2026, half: 1 }); // due 10 July
    expect(lastHalf(new Date(2026, 11, 31))).toEqual({ year: 2026, half: 1 });
    expect(lastHalf(new Date(2027, 0, 5))).toEqual({ year: 2026, half: 2 }); // due 10 January
    expect(lastHalf(new Date(2027, 5, 30))).toEqual({ year: 2026, half: 2 });
  });

  it("names a changed field and its coded values in the reader's words", () => {
    const t = (key: string) => `<${key}>`;
    expect(changeWords("counterparty", "甲公司", t)).toEqual({ name: "<contracts.counterparty>", value: "甲公司" });
    expect(changeWords("status", "signed", t)).toEqual({ name: "<contracts.statusField>", value: "<contracts.status.signed>" });
    expect(changeWords("kind", "amendment", t).value).toBe("<contracts.kind.amendment>");
    expect(changeWords("term_end", null, t)).toEqual({ name: "<contracts.termEnd>", value: "—" });
    expect(changeWords("unknown_field", "x", t).name).toBe("unknown_field");
    expect(changeWords("custodian_id", "u-1", t, { "u-1": "王芳" }).value).toBe("王芳");
  });
});
