import { describe, expect, it } from "vitest";
import type { Schemas } from "../../api/types";
import { changesOf, draftOf, hasLetter, keeps, NO_LETTER, uploadFields } from "./letters";

const document = (fields: Partial<Schemas["DocumentRead"]>) =>
  ({
    doc_type: "collection_letter",
    channel: "fax",
    direction: null,
    sender: "信用管理部",
    recipient: null,
    issued_on: "2026-10-01",
    escalation_level: 2,
    ...fields,
  }) as Schemas["DocumentRead"];

describe("a letter's details", () => {
  it("are kept by correspondence and collection letters only, the level by the latter", () => {
    expect(keeps("correspondence")).toEqual({ letter: true, level: false });
    expect(keeps("collection_letter")).toEqual({ letter: true, level: true });
    expect(keeps("contract")).toEqual({ letter: false, level: false });
  });

  it("are sent at upload only as the type keeps them and as filled", () => {
    const draft = { ...NO_LETTER, channel: "fax" as const, sender: "  王芳 ", recipient: " ", escalation_level: 3 };
    expect(uploadFields("collection_letter", draft)).toEqual([
      ["channel", "fax"],
      ["sender", "王芳"],
      ["escalation_level", "3"],
    ]);
    // A plain letter sends no level, a contract nothing at all (the server would refuse them).
    expect(uploadFields("correspondence", draft)).toEqual([
      ["channel", "fax"],
      ["sender", "王芳"],
    ]);
    expect(uploadFields("contract", draft)).toEqual([]);
  });

  it("are corrected by sending what changed, a cleared field as null", () => {
    const before = document({});
    const draft = { ...draftOf(before), sender: " ", escalation_level: 4, recipient: "遵义酒业" };
    expect(changesOf(before, draft)).toEqual({ sender: null, escalation_level: 4, recipient: "遵义酒业" });
    expect(changesOf(before, draftOf(before))).toEqual({});
    // A plain letter's level is never sent, whatever the form held.
    const plain = document({ doc_type: "correspondence", escalation_level: null });
    expect(changesOf(plain, { ...draftOf(plain), escalation_level: 5 })).toEqual({});
  });

  it("are shown when any is set besides the date", () => {
    expect(hasLetter(document({}))).toBe(true);
    expect(hasLetter(document({ channel: null, sender: null, escalation_level: null }))).toBe(false);
  });
});
