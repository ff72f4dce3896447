import { describe, expect, it } from "vitest";
import { byUrgency, gapCounts, reportPath } from "./upkeep";
import type { Item } from "./upkeep";

const item = (doc_type: Item["doc_type"], state: Item["state"], year: number | null = null) =>
  ({ doc_type, state, year, document_id: null, expires_on: null, due_on: null }) as Item;

describe("a file's completeness", () => {
  it("shows what is missing first, then what expired, then what is present, each as listed", () => {
    const items = [
      item("business_license", "present"),
      item("tax_certificate", "expired"),
      item("financial_statement", "missing", 2025),
      item("bank_reference", "missing"),
    ];
    expect(byUrgency(items).map((i) => [i.doc_type, i.state])).toEqual([
      ["financial_statement", "missing"],
      ["bank_reference", "missing"],
      ["tax_certificate", "expired"],
      ["business_license", "present"],
    ]);
    expect(gapCounts(items)).toEqual({ missing: 2, expired: 1 });
  });

  it("downloads the report with the filters shown", () => {
    expect(reportPath("xlsx", {})).toBe("/api/v1/customers/incomplete?format=xlsx");
    expect(reportPath("csv", { department_id: "d1", custodian_id: undefined })).toBe(
      "/api/v1/customers/incomplete?department_id=d1&format=csv",
    );
  });
});
