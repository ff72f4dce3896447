import { describe, expect, it } from "vitest";
import { changedFields, departmentOrNone } from "./choices";

describe("the user editor", () => {
  it("sends only what was changed, never an empty password", () => {
    const before = { display_name: "张三", email: "a@example.cn", clearance: "internal", password: undefined };
    const after = { display_name: "张三", email: "b@example.cn", clearance: "secret", password: "" };
    expect(changedFields(before, after)).toEqual({ email: "b@example.cn", clearance: "secret" });
  });

  it("reads the empty department choice as company-wide", () => {
    expect(departmentOrNone("")).toBeNull();
    expect(departmentOrNone(undefined)).toBeNull();
    expect(departmentOrNone("d1")).toBe("d1");
  });
});
