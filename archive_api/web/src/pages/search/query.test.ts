import { describe, expect, it } from "vitest";
import { apiQuery, asked, changed, EMPTY, fromParams, narrowed, searchPath, toParams, unfiltered } from "./query";

const DEPT = "0b5e1f8e-2c1a-4c55-9a57-3f1d2b3c4d5e";

describe("a search in the page's address", () => {
  it("comes back the same from its address", () => {
    const state = {
      ...EMPTY,
      q: "保证金 逾期",
      docType: "contract" as const,
      secrecy: "internal" as const,
      departmentId: DEPT,
      issuedFrom: "2024-01-01",
      issuedTo: "2024-12-31",
      amountMin: "1000",
      amountMax: "500000.50",
      year: 2024,
      sort: "date" as const,
      page: 3,
      size: 50,
    };
    const address = toParams(state).toString();
    expect(fromParams(new URLSearchParams(address))).toEqual(state);
  });

  it("says only what differs from a new search", () => {
    expect(toParams(EMPTY).toString()).toBe("");
    expect(toParams({ ...EMPTY, q: "保证金" }).toString()).toBe("q=%E4%BF%9D%E8%AF%81%E9%87%91");
    expect(searchPath("  逾期 ")).toBe(`/search?q=${encodeURIComponent("逾期")}`);
    expect(searchPath("   ")).toBe("/search");
  });

  it("leaves out what is malformed rather than send it", () => {
    const state = fromParams(
      new URLSearchParams(
        "q=%20租赁%20&doc_type=poem&secrecy=top&department_id=1;drop&issued_from=2024-02-30" +
          "&issued_to=2024-13-01&amount_min=-5&amount_max=1e9&year=1066&sort=size&page=0&size=7",
      ),
    );
    expect(state).toEqual({ ...EMPTY, q: "租赁" });
    expect(fromParams(new URLSearchParams("page=abc&year=20240")).page).toBe(1);
    expect(fromParams(new URLSearchParams("issued_from=2024-02-29")).issuedFrom).toBe("2024-02-29");
  });

  it("asks the API by the same names, one page at a time", () => {
    const state = { ...EMPTY, q: "保证金", docType: "contract" as const, year: 2023, page: 3, size: 10 };
    expect(apiQuery(state)).toEqual({ q: "保证金", doc_type: "contract", year: "2023", limit: 10, offset: 20 });
    expect(apiQuery(EMPTY)).toEqual({ limit: 20, offset: 0 });
  });

  it("starts again at the first page when anything but the page changes", () => {
    const state = { ...EMPTY, q: "逾期", page: 4 };
    expect(changed(state, { sort: "date" }).page).toBe(1);
    expect(changed(state, { page: 5 }).page).toBe(5);
  });

  it("tells words from filters, and takes the filters off keeping the words", () => {
    expect(asked(EMPTY)).toBe(false);
    expect(asked({ ...EMPTY, sort: "date" })).toBe(false); // an order alone asks nothing
    expect(asked({ ...EMPTY, year: 2024 })).toBe(true);
    const state = { ...EMPTY, q: "逾期", secrecy: "public" as const, sort: "date" as const, page: 2 };
    expect(narrowed(state)).toBe(true);
    expect(narrowed({ ...EMPTY, q: "逾期", sort: "date" })).toBe(false);
    expect(unfiltered(state)).toEqual({ ...EMPTY, q: "逾期", sort: "date" });
  });
});
