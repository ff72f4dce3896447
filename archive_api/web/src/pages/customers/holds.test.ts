import { describe, expect, it } from "vitest";
import { contractNumbers, holdsCovering, liftPath } from "./holds";
import type { Hold } from "./holds";

function hold(fields: Partial<Hold>): Hold {
  return {
    id: "h1",
    customer_id: "c1",
    scope: "customer",
    contract_no: null,
    document_id: null,
    document_title: null,
    reason: "诉讼",
    set_at: "2026-11-30T06:00:00Z",
    set_by_id: "u1",
    set_by_name: "王芳",
    active: true,
    lifted_at: null,
    lifted_by_id: null,
    lifted_by_name: null,
    lift_reason: null,
    ...fields,
  };
}

describe("holdsCovering", () => {
  const contract = { id: "d1", contract_no: "HT-1" };
  const letter = { id: "d2", contract_no: null };

  it("covers every document with a hold on the file", () => {
    const file = hold({});
    expect(holdsCovering(contract, [file])).toEqual([file]);
    expect(holdsCovering(letter, [file])).toEqual([file]);
  });

  it("covers only the contract's documents with a contract hold", () => {
    const onContract = hold({ scope: "contract", contract_no: "HT-1" });
    expect(holdsCovering(contract, [onContract])).toEqual([onContract]);
    expect(holdsCovering(letter, [onContract])).toEqual([]);
    expect(holdsCovering({ id: "d3", contract_no: "HT-2" }, [onContract])).toEqual([]);
  });

  it("covers only its document with a document hold, and never once lifted", () => {
    const onLetter = hold({ scope: "document", document_id: "d2" });
    expect(holdsCovering(letter, [onLetter])).toEqual([onLetter]);
    expect(holdsCovering(contract, [onLetter])).toEqual([]);
    expect(holdsCovering(letter, [{ ...onLetter, active: false }])).toEqual([]);
  });
});

describe("contractNumbers and liftPath", () => {
  it("names each contract once", () => {
    expect(contractNumbers([{ contract_no: "B" }, { contract_no: null }, { contract_no: "A" }, { contract_no: "B" }])).toEqual([
      "A",
      "B",
    ]);
  });

  it("lifts a document's hold through the document and the file's through the customer", () => {
    expect(liftPath(hold({ scope: "document", document_id: "d2" }))).toBe("/documents/d2/holds/h1/lift");
    expect(liftPath(hold({ scope: "contract", contract_no: "HT-1" }))).toBe("/customers/c1/holds/h1/lift");
  });
});
