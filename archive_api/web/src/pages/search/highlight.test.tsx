import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { marked } from "./highlight";
import { Sentence } from "./Sentence";
import { Snippet } from "./Snippet";

const shown = (pieces: { text: string; match: boolean }[]) =>
  pieces.map((p) => (p.match ? `[${p.text}]` : p.text)).join("");

describe("the words found in a snippet", () => {
  it("are marked as one where their terms overlap", () => {
    // 保证金 is asked as the bigrams 保证 and 证金.
    expect(shown(marked("…借款人应缴纳保证金人民币伍拾万元", ["保证", "证金"]))).toBe("…借款人应缴纳[保证金]人民币伍拾万元");
  });

  it("are marked wherever they occur, and the text is kept whole", () => {
    const text = "逾期未还，逾期利息 abc 另计";
    const pieces = marked(text, ["逾期", "abc"]);
    expect(shown(pieces)).toBe("[逾期]未还，[逾期]利息 [abc] 另计");
    expect(pieces.map((p) => p.text).join("")).toBe(text);
  });

  it("leave the snippet unmarked when no term occurs, or none is given", () => {
    expect(marked("合同正文", ["租赁"])).toEqual([{ text: "合同正文", match: false }]);
    expect(marked("合同正文", [])).toEqual([{ text: "合同正文", match: false }]);
    expect(marked("", ["租赁"])).toEqual([]);
  });

  it("are shown as text: markup in a snippet is never made into elements", () => {
    const { container } = render(<Snippet text={'<img src=x onerror="alert(1)">保证金<b>'} terms={["保证", "证金"]} />);
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
    expect(container.querySelector("mark")?.textContent).toBe("保证金");
    expect(container.textContent).toBe('<img src=x onerror="alert(1)">保证金<b>');
  });
});

describe("a sentence around the words typed", () => {
  it("shows them as text, marked as data", () => {
    const { container } = render(<Sentence say={(q) => `Results for “${q}”`} words="<b>保证金</b>" />);
    expect(container.textContent).toBe("Results for “<b>保证金</b>”");
    expect(container.querySelector("b")).toBeNull();
    expect(container.querySelector("span[translate=no]")?.textContent).toBe("<b>保证金</b>");
  });
});
