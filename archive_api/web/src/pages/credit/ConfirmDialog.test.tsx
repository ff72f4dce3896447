import { render, screen } from "@testing-library/react";
import { App } from "antd";
import { beforeAll, describe, expect, it } from "vitest";
import i18next from "../../i18n";
import { ConfirmDialog } from "./ConfirmDialog";
import type { Statement } from "./logic";

beforeAll(async () => {
  await i18next.changeLanguage("zh");
});

function statement(type: string, months: number | null): Statement {
  return {
    id: "s1", type, fiscal_year: 2025, checks: [], current_months: months, current_end: "2025",
    prior_months: months, prior_end: "2024", prior_label: "2024", figures: [],
  } as unknown as Statement;
}

function open(s: Statement) {
  return render(
    <App>
      <ConfirmDialog url="/customers/c1/statements/s1" statement={s} onClose={() => undefined} />
    </App>,
  );
}

describe("confirming a statement", () => {
  it("asks the months of a flow statement whose headings did not say", { timeout: 30000 }, () => {
    const asked = open(statement("income_statement", null));
    expect(screen.getByText("报表期间（月数）")).toBeTruthy();
    asked.unmount();
    const read = open(statement("income_statement", 9));
    expect(screen.queryByText("报表期间（月数）")).toBeNull();
    read.unmount();
    open(statement("balance_sheet", null)); // a balance sheet is at a date
    expect(screen.queryByText("报表期间（月数）")).toBeNull();
  });
});
