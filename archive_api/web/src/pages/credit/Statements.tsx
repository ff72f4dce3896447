// The customer's statements read out of uploads: pick one, review it beside its source page.
import { Empty, Form, Select, Spin } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Problem } from "../../components/Problem";
import { useFetch } from "../../hooks";
import type { Statement } from "./logic";
import { StatementReview, usePeriodName } from "./StatementReview";

export function useStatementName(): (s: Statement) => string {
  const { t } = useTranslation();
  const period = usePeriodName();
  return (s) =>
    [
      s.fiscal_year ? t("credit.statement.year", { year: s.fiscal_year }) : t("credit.statement.yearUnknown"),
      period(s, "current"),
      t(`credit.type.${s.type}`, { defaultValue: s.type }),
      t(`credit.scope.${s.scope}`, { defaultValue: s.scope }),
      t(s.status === "confirmed" ? "credit.statement.confirmed" : "credit.statement.extracted"),
    ].join(" · ");
}

export function Statements({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const found = useFetch<Statement[]>(`/customers/${customerId}/statements`);
  const [chosen, setChosen] = useState<string | null>(null);
  const name = useStatementName();
  if (found.error) return <Problem error={found.error} />;
  if (!found.data) return <Spin />;
  if (found.data.length === 0) return <Empty description={t("credit.statement.none")} />;
  const statement = found.data.find((s) => s.id === chosen) ?? found.data[0];
  return (
    <>
      <Form layout="inline" className="credit-pick">
        <Form.Item label={t("credit.statement.pick")} htmlFor="credit-statement">
          <Select
            id="credit-statement"
            className="credit-pick-select"
            value={statement.id}
            onChange={setChosen}
            options={found.data.map((s) => ({ value: s.id, label: name(s) }))}
          />
        </Form.Item>
      </Form>
      <StatementReview
        key={statement.id}
        customerId={customerId}
        statement={statement}
        onChanged={found.reload}
      />
    </>
  );
}
