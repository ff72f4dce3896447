// A letter's details (ingest/letters.py): correspondence keeps its channel, direction, sender,
// recipient and date; a collection letter is correspondence with an escalation level too.
import type { Schemas } from "../../api/types";
import type { DocType } from "./kinds";

type Document = Schemas["DocumentRead"];
export type Channel = Schemas["Channel"];
export type Direction = Schemas["Direction"];

export const CHANNELS: Channel[] = ["letter", "fax", "telegram", "phone", "email"];
export const DIRECTIONS: Direction[] = ["incoming", "outgoing"];
/** 004 附件四's five reminders, each firmer than the one before. */
export const LEVELS = [1, 2, 3, 4, 5] as const;

/** What a letter's form holds: empty fields are null. */
export interface LetterDraft {
  channel: Channel | null;
  direction: Direction | null;
  sender: string | null;
  recipient: string | null;
  issued_on: string | null;
  escalation_level: number | null;
}

export const NO_LETTER: LetterDraft = {
  channel: null,
  direction: null,
  sender: null,
  recipient: null,
  issued_on: null,
  escalation_level: null,
};

/** Whether a type keeps a letter's details, and whether an escalation level among them. */
export function keeps(type: DocType): { letter: boolean; level: boolean } {
  return { letter: type === "correspondence" || type === "collection_letter", level: type === "collection_letter" };
}

const clean = (draft: LetterDraft): LetterDraft => ({
  ...draft,
  sender: draft.sender?.trim() || null,
  recipient: draft.recipient?.trim() || null,
});

/** The upload form's fields for a letter of this type: only what the type keeps and is filled. */
export function uploadFields(type: DocType, draft: LetterDraft): [string, string][] {
  const kept = keeps(type);
  if (!kept.letter) return [];
  const { escalation_level, ...rest } = clean(draft);
  const fields = Object.entries({ ...rest, escalation_level: kept.level ? escalation_level : null });
  return fields.filter((entry): entry is [string, string | number] => entry[1] !== null).map(([k, v]) => [k, String(v)]);
}

/** The letter's details of a document, as its form starts. */
export function draftOf(document: Document): LetterDraft {
  return {
    channel: document.channel ?? null,
    direction: document.direction ?? null,
    sender: document.sender ?? null,
    recipient: document.recipient ?? null,
    issued_on: document.issued_on ?? null,
    escalation_level: document.escalation_level ?? null,
  };
}

/** What a correction sends: the fields changed, and only those (null clears one). */
export function changesOf(document: Document, draft: LetterDraft): Partial<LetterDraft> {
  const before = draftOf(document);
  const after = clean(draft);
  if (!keeps(document.doc_type).level) after.escalation_level = before.escalation_level;
  const names = Object.keys(before) as (keyof LetterDraft)[];
  return Object.fromEntries(names.filter((k) => before[k] !== after[k]).map((k) => [k, after[k]]));
}

/** Whether a document has any letter detail to show. */
export function hasLetter(document: Document): boolean {
  const { issued_on: _day, ...details } = draftOf(document);
  return Object.values(details).some((value) => value !== null);
}
