import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/types";
import { borrowPath } from "./CustomerFile";
import { byType } from "./Documents";
import { unfinished } from "./Extraction";
import { itemOf } from "./Upload";

type Document = Schemas["DocumentRead"];

const doc = (id: string, doc_type: Document["doc_type"]) => ({ id, doc_type }) as Document;
const state = (status: string) => ({ status }) as Schemas["ExtractionState"];

describe("the customer file", () => {
  it("groups documents by type in the file's order, leaving out empty types", () => {
    const docs = [doc("1", "contract"), doc("2", "business_license"), doc("3", "contract")];
    expect(byType(docs).map(([type, found]) => [type, found.map((d) => d.id)])).toEqual([
      ["business_license", ["2"]],
      ["contract", ["1", "3"]],
    ]);
  });

  it("asks to borrow the customer, with the chosen documents when there are some", () => {
    expect(borrowPath("c1", [])).toBe("/borrowings/new?customer=c1");
    expect(borrowPath("c1", ["d1", "d2"])).toBe("/borrowings/new?customer=c1&documents=d1,d2");
  });

  it("keeps asking about a reading until none is pending or running", () => {
    expect(unfinished(null)).toBe(true);
    expect(unfinished([state("running"), state("done")])).toBe(true);
    expect(unfinished([state("done"), state("failed")])).toBe(false);
    expect(unfinished([])).toBe(false);
  });

  it("refuses a chosen file Dangan does not take before sending it", () => {
    const refuse = { wrongType: "wrong type", empty: "empty" };
    const scan = itemOf(new File(["%PDF"], "2023年财务报表.pdf", { type: "application/pdf" }), "internal", refuse);
    expect([scan.stage, scan.docType, scan.title, scan.error]).toEqual(["waiting", "financial_statement", "2023年财务报表", null]);
    const text = itemOf(new File(["x"], "notes.txt", { type: "text/plain" }), "internal", refuse);
    expect([text.stage, text.error]).toEqual(["failed", "wrong type"]);
    const nothing = itemOf(new File([], "empty.pdf", { type: "application/pdf" }), "internal", refuse);
    expect(nothing.error).toBe("empty");
  });
});
