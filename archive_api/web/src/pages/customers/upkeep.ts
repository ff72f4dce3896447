// What a customer file lacks, as the server weighs it (GET /customers/{id}/completeness): the
// words and the order the file and the report of incomplete files show it in.
import type { Schemas } from "../../api/types";
import { withQuery } from "../../hooks";

export type Item = Schemas["CompletenessItem"];
export type State = Item["state"];

/** Each state's colour: a gap is seen at a glance. */
export const STATE_COLOURS: Record<State, string> = {
  present: "success",
  expired: "error",
  missing: "warning",
};

/** The gaps first (missing, then expired), then what is present, each in the server's order. */
export function byUrgency(items: Item[]): Item[] {
  const rank: Record<State, number> = { missing: 0, expired: 1, present: 2 };
  return items.map((item, at) => ({ item, at })).sort((a, b) => rank[a.item.state] - rank[b.item.state] || a.at - b.at).map(({ item }) => item);
}

/** How many of the items are missing and how many expired. */
export function gapCounts(items: Item[]): { missing: number; expired: number } {
  return {
    missing: items.filter((i) => i.state === "missing").length,
    expired: items.filter((i) => i.state === "expired").length,
  };
}

/** Where the report of incomplete files is downloaded, as CSV or XLSX (the same filters). */
export function reportPath(format: "csv" | "xlsx", filters: { department_id?: string; custodian_id?: string }): string {
  return `/api/v1${withQuery("/customers/incomplete", { ...filters, format })}`;
}
