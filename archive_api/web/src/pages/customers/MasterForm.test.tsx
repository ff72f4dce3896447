import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { App } from "antd";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiError, api } from "../../api/client";
import i18next from "../../i18n";
import type { Detail } from "./master";
import { MasterForm } from "./MasterForm";
import type { Categories } from "./MasterData";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

beforeAll(async () => {
  await i18next.changeLanguage("zh");
  // antd's AutoComplete and TextArea measure themselves, which jsdom cannot.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

const customer = {
  id: "c1",
  name: "贵州测试有限公司",
  category: null,
  industry: null,
  registered_capital: null,
  legal_representative: null,
  address: "贵阳市",
  business_scope: null,
  founded_on: null,
  cooperation_since: null,
  shareholders: [],
  bank_references: [],
} as unknown as Detail;
const categories = { options: [], name: () => null, error: null, loading: false } as unknown as Categories;

function open(onSaved = vi.fn()) {
  render(
    <App>
      <MasterForm customer={customer} categories={categories} onClose={() => undefined} onSaved={onSaved} />
    </App>,
  );
  return onSaved;
}

describe("editing the master data", () => {
  it("sends only what changed, with the reason, and sends nothing without a reason", { timeout: 30000 }, async () => {
    const patch = vi.spyOn(api, "patch").mockResolvedValue({});
    const saved = open();
    fireEvent.change(screen.getByLabelText("住所"), { target: { value: " 遵义市汇川区 " } });
    fireEvent.click(screen.getByRole("button", { name: /保存修改/ }));
    await screen.findByText("请填写修改原因");
    expect(patch).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText("修改原因"), { target: { value: "迁址" } });
    fireEvent.click(screen.getByRole("button", { name: /保存修改/ }));
    await waitFor(() => expect(saved).toHaveBeenCalled());
    expect(patch).toHaveBeenCalledWith("/customers/c1", { address: "遵义市汇川区", reason: "迁址" });
  });

  it("marks the field a refusal names", { timeout: 30000 }, async () => {
    vi.spyOn(api, "patch").mockRejectedValue(
      new ApiError(422, "invalid_field", "legal_representative: String should have at most 100 characters"),
    );
    const saved = open();
    fireEvent.change(screen.getByLabelText("法定代表人"), { target: { value: "张三" } });
    fireEvent.change(screen.getByLabelText("修改原因"), { target: { value: "补录" } });
    fireEvent.click(screen.getByRole("button", { name: /保存修改/ }));
    await screen.findByText("此项未被接受，请检查");
    expect(saved).not.toHaveBeenCalled();
  });
});
