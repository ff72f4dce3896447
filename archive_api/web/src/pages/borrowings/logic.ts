// What the borrowing pages decide without asking the server: the approval chain as steps, which
// actions to offer whom, the status shown. The server still decides; these only choose buttons.
import type { Schemas } from "../../api/types";
import { withQuery } from "../../hooks";

export type Borrowing = Schemas["BorrowingRead"];
export type Incident = Schemas["IncidentRead"];

export type StepState = "approved" | "rejected" | "awaited" | "later" | "unreached";

export interface Step {
  round: number;
  role: string;
  state: StepState;
  /** Who decided (approved/rejected) or who may decide (awaited). */
  names: string[];
  at: string | null;
  reason: string | null;
}

/** Every round of approval as steps in order: decided, awaited (by whom), or still to come. */
export function chainSteps(b: Borrowing): Step[] {
  const steps: Step[] = [];
  for (let round = 1; round <= b.round; round += 1) {
    const decided = b.approvals.filter((a) => a.round === round).sort((x, y) => x.step - y.step);
    const current = round === b.round;
    b.approver_roles.forEach((role, index) => {
      const done = decided.find((a) => a.step === index);
      if (done) {
        steps.push({
          round,
          role,
          state: done.approved ? "approved" : "rejected",
          names: [done.approver_name],
          at: done.created_at,
          reason: done.reason,
        });
      } else if (current && b.waiting_for !== null && index === decided.length) {
        const names = b.awaited.map((p) => p.display_name);
        steps.push({ round, role, state: "awaited", names, at: null, reason: null });
      } else {
        const state = current && b.waiting_for !== null ? "later" : "unreached";
        steps.push({ round, role, state, names: [], at: null, reason: null });
      }
    });
  }
  // A round that ended before its last step (rejected, or revoked while pending) shows no more.
  return steps.filter((s) => s.state !== "unreached" || s.round === b.round);
}

export type Action =
  | "approve"
  | "reject"
  | "return"
  | "extend"
  | "revoke"
  | "handOut"
  | "checkIn"
  | "missing"
  | "read"
  | "download";

/** The actions to offer this user on this borrowing (the server refuses what they may not). */
export function actionsFor(b: Borrowing, userId: string, archivist: boolean): Set<Action> {
  const actions = new Set<Action>();
  const mine = b.requester_id === userId;
  const out = b.status === "approved";
  const paper = b.mode === "physical";
  const paperOut = paper && out && b.out_at !== null;
  if (b.awaited.some((p) => p.id === userId)) {
    actions.add("approve");
    actions.add("reject");
  }
  if (mine && out && !paper) actions.add("return");
  if (mine && out && b.extension_hours === null && b.hours < b.longest_hours) actions.add("extend");
  if (mine && out && !paper && !b.overdue && b.out_at !== null) {
    actions.add("read");
    if (b.mode === "download") actions.add("download");
  }
  if (archivist) {
    if (paper && out && b.out_at === null) actions.add("handOut");
    if (paperOut) {
      actions.add("checkIn");
      actions.add("missing");
    }
    if ((b.status === "pending" || out) && !paperOut) actions.add("revoke");
  }
  return actions;
}

/** The catalogue key and colour of the status a list shows (overdue before all else). */
export function statusOf(b: Pick<Borrowing, "status" | "overdue">): { key: string; color: string } {
  if (b.overdue) return { key: "status.overdue", color: "red" };
  const colors: Record<string, string> = {
    pending: "gold",
    approved: "green",
    rejected: "red",
    returned: "default",
    revoked: "default",
    lost: "volcano",
  };
  return { key: `status.${b.status}`, color: colors[b.status] ?? "default" };
}

/** The document ids of a `documents=a,b` query parameter (blank entries dropped). */
export function idsFrom(param: string | null): string[] {
  return (param ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "");
}

/** The API path of the register of [since, until) in a format (times as ISO with zone). */
export function registerPath(since: string, until: string, format: "csv" | "xlsx"): string {
  return `/api/v1${withQuery("/borrowings/register", { since, until, format })}`;
}

/** How many more hours an extension may ask for. */
export function hoursLeft(b: Pick<Borrowing, "hours" | "longest_hours">): number {
  return Math.max(0, b.longest_hours - b.hours);
}
