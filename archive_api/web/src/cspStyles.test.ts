import { describe, expect, it } from "vitest";
import { nonceStyles } from "./cspStyles";

describe("style elements the app's scripts create", () => {
  it("carry the page's nonce, and nothing else changes", () => {
    nonceStyles("r4nd0m");
    const style = document.createElement("style");
    expect(style.nonce).toBe("r4nd0m");
    expect(style).toBeInstanceOf(HTMLStyleElement);
    const div = document.createElement("div");
    expect(div.nonce ?? "").toBe("");
    expect(div.tagName).toBe("DIV");
  });
});
