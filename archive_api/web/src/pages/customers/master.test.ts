import { describe, expect, it } from "vitest";
import i18next from "../../i18n";
import { valueText } from "./History";
import { changesOf, decimalOf, fieldsNamed, formOf, textOf } from "./master";
import type { Detail } from "./master";

const customer = {
  id: "c1",
  name: "贵州测试有限公司",
  category: "new",
  industry: null,
  registered_capital: { amount: "10000000.00", currency: "CNY" },
  legal_representative: "张三",
  address: "贵阳市观山湖区",
  business_scope: null,
  founded_on: "2015-03-12",
  cooperation_since: null,
  shareholders: [{ name: "李四", share: "60.00" }],
  bank_references: [{ bank: "工商银行", account_name: "贵州测试有限公司", account_no: "6222 8765" }],
} as unknown as Detail;

describe("the master data form", () => {
  it("sends nothing when the record is left as it was", () => {
    expect(changesOf(customer, formOf(customer))).toEqual({});
  });

  it("sends only the fields changed, texts trimmed and decimals as the server keeps them", () => {
    const typed = {
      ...formOf(customer),
      address: "  遵义市汇川区 ",
      industry: " 电子 ",
      capital_amount: "12,000,000",
      shareholders: [{ name: "李四", share: "60" }, { name: " 王五 ", share: "40.5" }],
    };
    expect(changesOf(customer, typed)).toEqual({
      address: "遵义市汇川区",
      industry: "电子",
      registered_capital: { amount: "12000000.00", currency: "CNY" },
      shareholders: [
        { name: "李四", share: "60.00" },
        { name: "王五", share: "40.50" },
      ],
    });
  });

  it("clears a field left blank, and an emptied list is sent empty", () => {
    const typed = { ...formOf(customer), legal_representative: "  ", capital_amount: "", founded_on: null, bank_references: [] };
    expect(changesOf(customer, typed)).toEqual({
      legal_representative: null,
      registered_capital: null,
      founded_on: null,
      bank_references: [],
    });
  });

  it("keeps a business scope pasted over several lines on one", () => {
    expect(textOf("研发；\n 生产；\r\n销售")).toBe("研发； 生产； 销售");
  });

  it("leaves a malformed amount for the server to refuse by name", () => {
    expect(decimalOf("-5")).toBe("-5");
    expect(decimalOf("1.234")).toBe("1.234");
    expect(decimalOf("007.5")).toBe("7.50");
  });

  it("reads the fields a refusal names", () => {
    expect(fieldsNamed("founded_on: in the future (today is 2026-01-01)")).toEqual(["founded_on"]);
    expect(
      fieldsNamed("shareholders.0.share: Input should be less than or equal to 100; address: too long"),
    ).toEqual(["shareholders", "address"]);
    expect(fieldsNamed("request: name at least one field")).toEqual([]);
  });
});

describe("the history", () => {
  it("says each value in the reader's language", async () => {
    await i18next.changeLanguage("zh");
    const t = i18next.t.bind(i18next);
    const named = (code: string) => (code === "new" ? "新客户" : null);
    expect(valueText("status", "blacklisted", t, named)).toBe("黑名单");
    expect(valueText("category", "new", t, named)).toBe("新客户");
    expect(valueText("category", "vip", t, named)).toBe("vip");
    expect(valueText("address", null, t, named)).toBe("（空）");
    expect(valueText("registered_capital", { amount: "1.00", currency: "USD" }, t, named)).toBe("1.00 USD");
    const banks = [{ bank: "工商银行", account_name: "甲", account_no: "****8765" }];
    expect(valueText("bank_references", banks, t, named)).toBe("工商银行 · 甲 · ****8765");
    expect(valueText("secrecy", "confidential", t, named)).toBe("秘密");
    expect(valueText("important", true, t, named)).toBe("重要客户");
    expect(valueText("important", false, t, named)).toBe("一般客户");
    await i18next.changeLanguage("en");
    const holders = [{ name: "Li", share: "60.00" }, { name: "Wang", share: "40.00" }];
    expect(valueText("shareholders", holders, i18next.t.bind(i18next), named)).toBe("Li 60.00 %, Wang 40.00 %");
    expect(valueText("status", "under_review", i18next.t.bind(i18next), named)).toBe("Under review");
  });
});
