import { describe, expect, it } from "vitest";
import { filtering, forType } from "./DocumentFilters";

describe("the customer file's document filters", () => {
  const letterFilter = { channel: "fax", direction: "incoming", escalation_level: 3 } as const;

  it("drops a letter's details when a type that keeps none is chosen", () => {
    expect(forType(letterFilter, "contract")).toEqual({
      doc_type: "contract",
      channel: undefined,
      direction: undefined,
      escalation_level: undefined,
    });
  });

  it("keeps channel and direction for correspondence, the level only for collection letters", () => {
    expect(forType(letterFilter, "correspondence")).toMatchObject({ channel: "fax", direction: "incoming", escalation_level: undefined });
    expect(forType(letterFilter, "collection_letter")).toMatchObject({ channel: "fax", escalation_level: 3 });
    expect(forType(letterFilter, undefined)).toMatchObject({ channel: "fax", escalation_level: 3 });
  });

  it("tells a filtered list from a whole one", () => {
    expect(filtering({})).toBe(false);
    expect(filtering({ doc_type: undefined, q: "" })).toBe(false);
    expect(filtering({ q: "催款" })).toBe(true);
  });
});
