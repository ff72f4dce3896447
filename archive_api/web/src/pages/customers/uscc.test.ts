import { describe, expect, it } from "vitest";
import codes from "./uscc-codes.json";
import { ALPHABET, checkCharacter, usccProblem } from "./uscc";

describe("the unified social credit code", () => {
  it("accepts every code the Python rules made", () => {
    for (const code of codes.valid) expect(usccProblem(code), code).toBeNull();
  });

  it("computes the same check character as the Python rules", () => {
    for (const code of codes.valid) expect(checkCharacter(code.slice(0, 17)), code).toBe(code[17]);
  });

  it("refuses a wrong check character", () => {
    for (const code of codes.wrong_check) expect(usccProblem(code), code).toBe("check");
  });

  it("accepts lower case and spaces around, as the server does", () => {
    expect(usccProblem(` ${codes.valid[0].toLowerCase()} `)).toBeNull();
  });

  it("names a wrong length or a character outside the alphabet", () => {
    expect(usccProblem("9152000021443414")).toBe("length");
    expect(usccProblem("91520000214434146O")).toBe("characters");
    expect(usccProblem("9152000A214434146R")).toBe("characters"); // region code is digits
    expect(ALPHABET).toHaveLength(31);
  });
});
