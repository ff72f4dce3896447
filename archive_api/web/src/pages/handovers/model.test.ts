import { describe, expect, it } from "vitest";
import { blockers, confirmationRows, describeHeld, nameOf, personLabel } from "./model";
import type { Handover } from "./model";

const held = (label: string) => ({ id: label, label, customer_id: null, detail: null, at: null });

function handover(overrides: Partial<Handover> = {}): Handover {
  return {
    id: "h1",
    number: "JJ20261129-ABC123",
    employee_id: "e",
    successor_id: "s",
    department_id: "d",
    planned_on: "2026-12-31",
    opened_by_id: "head",
    cross_department: false,
    status: "open",
    closed_reason: null,
    created_at: "2026-11-29T02:00:00Z",
    completed_at: null,
    inventory: {
      customers: [held("甲公司")],
      contracts: [],
      unfiled_documents: [held("合同")],
      open_borrowings: [held("JY1"), held("JY2")],
      originals_out: [],
      tokens: [],
    },
    inventory_sha256: null,
    confirmations: [],
    awaiting: ["dept_head", "archivist", "successor"],
    open_items: [],
    names: { e: "张三", s: "李四", head: "赵磊" },
    my_capacities: [],
    may_cancel: false,
    ...overrides,
  };
}

describe("blockers", () => {
  it("count what must come back, and only those kinds", () => {
    expect(blockers(handover())).toEqual([{ key: "borrowings", count: 2 }]);
  });

  it("are none once the handover is no longer open", () => {
    expect(blockers(handover({ status: "cancelled" }))).toEqual([]);
  });
});

describe("confirmation rows", () => {
  it("name the successor, say who confirmed and whose turn it is", () => {
    const rows = confirmationRows(
      handover({
        confirmations: [{ capacity: "successor", user_id: "s", created_at: "2026-11-29T03:00:00Z" }],
        awaiting: ["dept_head", "archivist"],
        my_capacities: ["dept_head"],
      }),
    );
    expect(rows.map((r) => [r.capacity, r.namedId, r.givenBy, r.mine])).toEqual([
      ["dept_head", null, null, true],
      ["archivist", null, null, false],
      ["successor", "s", "s", false],
    ]);
  });

  it("never offer a confirmation already given", () => {
    const rows = confirmationRows(
      handover({
        confirmations: [{ capacity: "dept_head", user_id: "head", created_at: "2026-11-29T03:00:00Z" }],
        my_capacities: ["dept_head"],
      }),
    );
    expect(rows[0].mine).toBe(false);
  });
});

describe("names", () => {
  it("show the user name only when it tells something", () => {
    expect(personLabel({ display_name: "张三", username: "zhang.san" })).toBe("张三 (zhang.san)");
    expect(personLabel({ display_name: "seller", username: "seller" })).toBe("seller");
  });

  it("never show an id in place of a name", () => {
    expect(nameOf(handover(), "s")).toBe("李四");
    expect(nameOf(handover(), "unknown")).toBe("");
  });
});

describe("inventory details", () => {
  const t = (key: string) => `<${key}>`;
  it("turn the API's codes into catalogue words, keeping numbers and places", () => {
    expect(describeHeld("customers", "91520000214434146R · internal", t)).toBe(
      "91520000214434146R · <handovers.words.internal>",
    );
    expect(describeHeld("unfiled_documents", "contract", t)).toBe("<handovers.words.contract>");
    expect(describeHeld("open_borrowings", "view · overdue", t)).toBe(
      "<handovers.words.view> · <status.overdue>",
    );
    expect(describeHeld("originals_out", "JY1 · B-1/3/9", t)).toBe("JY1 · B-1/3/9");
    expect(describeHeld("contracts", "signed", t)).toBe("<contracts.status.signed>");
    expect(describeHeld("tokens", null, t)).toBe("");
  });
});
