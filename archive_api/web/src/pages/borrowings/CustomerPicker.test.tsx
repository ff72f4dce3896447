import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Schemas } from "../../api/types";
import { CustomerPicker } from "./CustomerPicker";

afterEach(cleanup);

const id = "2126f797-b92d-458d-8480-79281fbba39d";
const known = { id, name: "语言测试有限公司", uscc: "91996167U20E1WDMN7" } as Schemas["CustomerRead"];

describe("the request's customer picker", () => {
  it("never shows the customer's raw id while its name is read or when it cannot be", () => {
    for (const knownLoading of [true, false]) {
      const { container, unmount } = render(<CustomerPicker value={id} known={null} knownLoading={knownLoading} />);
      expect(container.innerHTML).not.toContain(id);
      unmount();
    }
  });

  it("shows the customer given in the address by name and code", () => {
    const { container } = render(<CustomerPicker value={id} known={known} />);
    expect(container.textContent).toContain("语言测试有限公司 · 91996167U20E1WDMN7");
  });
});
