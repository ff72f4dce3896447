import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import i18next from "../../i18n";
import { Industry } from "./Industry";
import { industryOf } from "./kinds";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

beforeAll(async () => {
  await i18next.changeLanguage("zh");
  // antd's AutoComplete measures its popup, which jsdom cannot.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

const customer = { id: "c1", industry: null } as unknown as Schemas["CustomerSummary"];

describe("a customer's industry", () => {
  it("says when none is recorded that ratings use the default table", () => {
    render(<Industry customer={customer} mayEdit={false} onSaved={() => undefined} />);
    expect(screen.getByText("未登记（信用评级按默认参照表）")).toBeTruthy();
    expect(screen.queryByText("修改")).toBeNull();
  });

  it("is saved trimmed, and a blank one clears it", { timeout: 30000 }, async () => {
    const patch = vi.spyOn(api, "patch").mockResolvedValue({});
    const saved = vi.fn();
    render(<Industry customer={{ ...customer, industry: "白酒" }} mayEdit onSaved={saved} />);
    expect(screen.getByText("白酒")).toBeTruthy();
    fireEvent.click(screen.getByText("修改"));
    fireEvent.change(screen.getByRole("combobox"), { target: { value: "  电力 " } });
    fireEvent.click(screen.getByRole("button", { name: /保\s*存/ }));
    await waitFor(() => expect(saved).toHaveBeenCalled());
    expect(patch).toHaveBeenCalledWith("/customers/c1", { industry: "电力" });
    expect(industryOf("   ")).toBeNull();
  });
});
