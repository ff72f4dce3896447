import { describe, expect, it } from "vitest";
import { tokenState } from "./tokens";

describe("a personal token's state", () => {
  const now = new Date("2026-11-29T12:00:00Z");
  it("is revoked before anything else", () => {
    expect(tokenState({ revoked_at: "2026-11-01T00:00:00Z", expires_at: "2026-12-01T00:00:00Z" }, now)).toBe(
      "revokedAt",
    );
  });
  it("is expired once its time is past, live before", () => {
    expect(tokenState({ expires_at: "2026-11-29T11:59:59Z" }, now)).toBe("expired");
    expect(tokenState({ expires_at: "2026-11-29T12:00:01Z" }, now)).toBe("live");
    expect(tokenState({ expires_at: null }, now)).toBe("live");
  });
});
