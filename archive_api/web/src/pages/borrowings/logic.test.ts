import { describe, expect, it } from "vitest";
import { actionsFor, chainSteps, hoursLeft, idsFrom, registerPath, statusOf, type Borrowing } from "./logic";

const ME = "11111111-1111-1111-1111-111111111111";
const HEAD = "22222222-2222-2222-2222-222222222222";
const ARCHIVIST = "33333333-3333-3333-3333-333333333333";

function borrowing(changes: Partial<Borrowing> = {}): Borrowing {
  return {
    id: "b",
    number: "JY20261129-ABCDEF",
    requester_id: ME,
    requester_name: "张三",
    customer_id: "c",
    customer_name: "客户",
    whole_file: false,
    document_ids: ["d"],
    documents: [{ id: "d", title: "营业执照", doc_type: "business_license" }],
    purpose: "核对",
    external: false,
    mode: "view",
    hours: 4,
    secrecy: "secret",
    rule: "secret-own-department",
    approver_roles: ["dept_head", "archivist"],
    status: "pending",
    overdue: false,
    waiting_for: "dept_head",
    awaited: [{ id: HEAD, display_name: "赵磊" }],
    round: 1,
    longest_hours: 8,
    same_day: true,
    extension_hours: null,
    created_at: "2026-11-29T06:00:00Z",
    out_at: null,
    due_at: null,
    returned_at: null,
    closed_reason: null,
    approvals: [],
    ...changes,
  };
}

const approval = (step: number, approved = true, round = 1) => ({
  round,
  step,
  role: step === 0 ? "dept_head" : "archivist",
  approver_id: step === 0 ? HEAD : ARCHIVIST,
  approver_name: step === 0 ? "赵磊" : "王芳",
  approved,
  reason: approved ? null : "用途不明",
  created_at: "2026-11-29T07:00:00Z",
});

describe("the approval chain", () => {
  it("names who is awaited at the first step and leaves the next for later", () => {
    const steps = chainSteps(borrowing());
    expect(steps.map((s) => [s.role, s.state, s.names])).toEqual([
      ["dept_head", "awaited", ["赵磊"]],
      ["archivist", "later", []],
    ]);
  });

  it("shows who approved and who is awaited next", () => {
    const b = borrowing({
      approvals: [approval(0)],
      waiting_for: "archivist",
      awaited: [{ id: ARCHIVIST, display_name: "王芳" }],
    });
    expect(chainSteps(b).map((s) => [s.state, s.names])).toEqual([
      ["approved", ["赵磊"]],
      ["awaited", ["王芳"]],
    ]);
  });

  it("ends at a rejection with its reason", () => {
    const b = borrowing({ status: "rejected", waiting_for: null, awaited: [], approvals: [approval(0, false)] });
    const steps = chainSteps(b);
    expect(steps.map((s) => s.state)).toEqual(["rejected", "unreached"]);
    expect(steps[0]?.reason).toBe("用途不明");
  });

  it("keeps an approved first round and shows the extension round after it", () => {
    const b = borrowing({
      status: "approved",
      round: 2,
      extension_hours: 2,
      approvals: [approval(0), approval(1)],
      waiting_for: "dept_head",
    });
    expect(chainSteps(b).map((s) => [s.round, s.state])).toEqual([
      [1, "approved"],
      [1, "approved"],
      [2, "awaited"],
      [2, "later"],
    ]);
  });
});

describe("the actions offered", () => {
  it("let only an awaited approver approve or reject", () => {
    expect(actionsFor(borrowing(), HEAD, false)).toEqual(new Set(["approve", "reject"]));
    expect(actionsFor(borrowing(), ME, false).has("approve")).toBe(false);
  });

  it("let the borrower read, return and extend an open view borrowing, but not download", () => {
    const b = borrowing({ status: "approved", waiting_for: null, awaited: [], out_at: "2026-11-29T07:00:00Z" });
    expect(actionsFor(b, ME, false)).toEqual(new Set(["read", "return", "extend"]));
    const download = { ...b, mode: "download" as const };
    expect(actionsFor(download, ME, false).has("download")).toBe(true);
    expect(actionsFor({ ...b, overdue: true }, ME, false).has("read")).toBe(false);
    expect(actionsFor({ ...b, hours: 8 }, ME, false).has("extend")).toBe(false);
  });

  it("give paper to the archivist: hand out, then check in or mark missing, never revoke while out", () => {
    const approved = borrowing({ mode: "physical", status: "approved", waiting_for: null, awaited: [] });
    expect(actionsFor(approved, ARCHIVIST, true)).toEqual(new Set(["handOut", "revoke"]));
    const out = { ...approved, out_at: "2026-11-29T08:00:00Z" };
    expect(actionsFor(out, ARCHIVIST, true)).toEqual(new Set(["checkIn", "missing"]));
    expect(actionsFor(out, ME, false).has("return")).toBe(false);
  });
});

describe("helpers", () => {
  it("mark overdue before the stored status", () => {
    expect(statusOf({ status: "approved", overdue: true })).toEqual({ key: "status.overdue", color: "red" });
    expect(statusOf({ status: "pending", overdue: false }).key).toBe("status.pending");
  });

  it("read document ids from the query and build the register path", () => {
    expect(idsFrom("a, b,,c")).toEqual(["a", "b", "c"]);
    expect(idsFrom(null)).toEqual([]);
    expect(registerPath("2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00", "xlsx")).toBe(
      "/api/v1/borrowings/register?since=2026-11-01T00%3A00%3A00%2B08%3A00&until=2026-12-01T00%3A00%3A00%2B08%3A00&format=xlsx",
    );
    expect(hoursLeft({ hours: 6, longest_hours: 8 })).toBe(2);
  });
});
