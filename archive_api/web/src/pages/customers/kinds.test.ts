import { describe, expect, it } from "vitest";
import { acceptable, guessType, titleOf } from "./kinds";

describe("files chosen for upload", () => {
  it("are accepted by media type or by name", () => {
    expect(acceptable({ name: "x.bin", type: "application/pdf" })).toBe(true);
    expect(acceptable({ name: "营业执照.PNG", type: "" })).toBe(true);
    expect(acceptable({ name: "scan.tif", type: "" })).toBe(true);
    expect(acceptable({ name: "notes.docx", type: "application/vnd.openxmlformats" })).toBe(false);
    expect(acceptable({ name: "run.exe", type: "" })).toBe(false);
  });

  it("get a type their name suggests, else other", () => {
    expect(guessType("license.png")).toBe("business_license");
    expect(guessType("2023年资产负债表.pdf")).toBe("financial_statement");
    expect(guessType("Statement-2023.PDF")).toBe("financial_statement");
    expect(guessType("购销合同.pdf")).toBe("contract");
    expect(guessType("scan001.pdf")).toBe("other");
  });

  it("get a title without the extension", () => {
    expect(titleOf("营业执照.png")).toBe("营业执照");
    expect(titleOf("a.b.pdf")).toBe("a.b");
    expect(titleOf(".hidden")).toBe(".hidden");
  });
});
