// What the handover pages work out from the API's answer: what blocks it and whose turn it is.
import type { Schemas } from "../../api/types";

export type Handover = Schemas["HandoverRead"];
export type Person = Schemas["PersonRead"];
export type Capacity = Handover["awaiting"][number];

export const CAPACITIES: Capacity[] = ["dept_head", "archivist", "successor"];

export interface Blocker {
  key: "borrowings" | "originals";
  count: number;
}

/** What must come back before anyone may confirm (only while the handover is open). */
export function blockers(handover: Handover): Blocker[] {
  if (handover.status !== "open") return [];
  const found: Blocker[] = [
    { key: "borrowings", count: handover.inventory.open_borrowings.length },
    { key: "originals", count: handover.inventory.originals_out.length },
  ];
  return found.filter((b) => b.count > 0);
}

export interface ConfirmationRow {
  capacity: Capacity;
  /** The person named for it (the successor), or null when any holder of the role may. */
  namedId: string | null;
  /** Who gave it and when, once given. */
  givenBy: string | null;
  givenAt: string | null;
  /** Whether the signed-in user may give this one now. */
  mine: boolean;
}

/** One row per capacity: who must confirm, who has, and whether it is the reader's turn. */
export function confirmationRows(handover: Handover): ConfirmationRow[] {
  return CAPACITIES.map((capacity) => {
    const given = handover.confirmations.find((c) => c.capacity === capacity);
    return {
      capacity,
      namedId: capacity === "successor" ? handover.successor_id : null,
      givenBy: given ? given.user_id : null,
      givenAt: given ? given.created_at : null,
      mine: !given && (handover.my_capacities ?? []).includes(capacity),
    };
  });
}

/** A person as the pickers show them: the name, and the user name to tell two apart. */
export function personLabel(person: Pick<Person, "display_name" | "username">): string {
  return person.display_name === person.username
    ? person.username
    : `${person.display_name} (${person.username})`;
}

/** The name of someone the handover names, falling back to nothing rather than an id. */
export function nameOf(handover: Handover, id: string | null | undefined): string {
  if (!id) return "";
  return handover.names?.[id] ?? "";
}

export type Part = keyof Handover["inventory"];
type Translate = (key: string) => string;

/** The detail of an inventory line in the reader's language: the API's codes become words. */
export function describeHeld(part: Part, detail: string | null | undefined, t: Translate): string {
  if (!detail) return "";
  const word = (code: string) => t(`handovers.words.${code}`);
  const pieces = detail.split(" · ");
  switch (part) {
    case "customers": // credit code · secrecy
      return pieces.length === 2 ? `${pieces[0]} · ${word(pieces[1])}` : detail;
    case "contracts": // status
      return t(`contracts.status.${detail}`);
    case "unfiled_documents": // document type
    case "tokens": // token kind
      return word(detail);
    case "open_borrowings": // mode · state
      return pieces.length === 2 ? `${word(pieces[0])} · ${t(`status.${pieces[1]}`)}` : detail;
    default: // borrowing number · cabinet/shelf/box: no words in it
      return detail;
  }
}
