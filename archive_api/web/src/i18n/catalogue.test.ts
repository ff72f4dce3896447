import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import i18next, { errorMessage } from "./index";
import { en, zh } from "./catalogues";

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [[`${prefix}${key}`, value]] : leaves(value, `${prefix}${key}.`),
  );
}

const HAN = /\p{Script=Han}/u;
// Each language names itself in its own script; everything else speaks the catalogue's language.
const OWN_NAMES = new Set(["language.zh", "language.en"]);

describe("the catalogues", () => {
  it("have the same keys and no empty text", () => {
    const zhKeys = leaves(zh).map(([key]) => key);
    expect(leaves(en).map(([key]) => key)).toEqual(zhKeys);
    for (const [key, text] of [...leaves(zh), ...leaves(en)]) expect(text, key).not.toBe("");
  });

  it("keep each language to itself", () => {
    for (const [key, text] of leaves(en)) {
      if (!OWN_NAMES.has(key)) expect(HAN.test(text), `${key}: ${text}`).toBe(false);
    }
    for (const [key, text] of leaves(zh)) {
      if (!OWN_NAMES.has(key)) expect(/[A-Za-z]{4,}/.test(text.replace(/{{\w+}}/g, "")), key).toBe(false);
    }
  });
});

describe("API errors", () => {
  it("are shown in the user's language by their stable code", async () => {
    await i18next.changeLanguage("zh");
    expect(errorMessage(new ApiError(404, "not_found", "no such customer"))).toBe("未找到");
    await i18next.changeLanguage("en");
    expect(errorMessage(new ApiError(503, "backend_unavailable", "x"))).toMatch(/unavailable/);
  });

  it("name an unknown code rather than pass the English detail through", async () => {
    await i18next.changeLanguage("zh");
    const shown = errorMessage(new ApiError(409, "something_new", "English detail"));
    expect(shown).toContain("something_new");
    expect(shown).not.toContain("English detail");
  });

  it("say when the server cannot be reached", async () => {
    await i18next.changeLanguage("en");
    expect(errorMessage(new TypeError("Failed to fetch"))).toBe("The server cannot be reached");
  });
});

describe("a key with no text", () => {
  it("is reported, so no page can show a raw key unnoticed", async () => {
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(" "));
    try {
      await i18next.changeLanguage("en");
      i18next.t("nowhere.toBeFound");
    } finally {
      console.error = original;
    }
    expect(logged).toContain("untranslated: nowhere.toBeFound");
  });
});
