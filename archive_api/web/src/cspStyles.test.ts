import { describe, expect, it } from "vitest";
import { nonceEveryStyle } from "./cspStyles";

describe("styles made by the page's scripts", () => {
  it("carry the page's nonce, and other elements are untouched", () => {
    nonceEveryStyle("abc123");
    const style = document.createElement("style");
    expect(style.nonce).toBe("abc123");
    expect(document.createElement("div")).toBeInstanceOf(HTMLDivElement);
    expect(document.createElement("div").getAttribute("nonce")).toBeNull();
  });
});
