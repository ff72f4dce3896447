import { describe, expect, it } from "vitest";
import { lowers, proposable, reasonNeeded } from "./secrecy";

describe("secrecy proposals", () => {
  it("offer the levels up to one's clearance, other than the current one", () => {
    expect(proposable("confidential", "internal")).toEqual(["public", "confidential"]);
    expect(proposable("secret", "secret")).toEqual(["public", "internal", "confidential"]);
    expect(proposable("public", "public")).toEqual([]);
  });

  it("need a reason to refuse, and to approve a lower level", () => {
    expect(lowers("secret", "internal")).toBe(true);
    expect(lowers("internal", "secret")).toBe(false);
    expect(reasonNeeded(true, "internal", "secret")).toBe(false);
    expect(reasonNeeded(true, "secret", "internal")).toBe(true);
    expect(reasonNeeded(false, "internal", "secret")).toBe(true);
  });
});
