// The customer credit report: made on request (it is also made after every rating) and kept in
// the customer's file; this card makes one and links to where it is kept.
import { Alert, Button, Card, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { useAct } from "../../components/useAct";

type Made = Schemas["DocumentRead"];

export function CreditReport({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const { act, busy } = useAct();
  const [made, setMade] = useState<Made | null>(null);
  const make = async (language: "zh" | "en") => {
    const done = await act(
      () => api.post<Made>(`/customers/${customerId}/credit-report?language=${language}`),
      t("credit.report.done"),
    );
    if (done) setMade(done);
  };
  return (
    <Card size="small" title={t("credit.report.title")} className="credit-report">
      <Space orientation="vertical">
        <Typography.Text type="secondary">{t("credit.report.hint")}</Typography.Text>
        <Space>
          <Button type="primary" loading={busy} onClick={() => void make("zh")}>
            {t("credit.report.makeZh")}
          </Button>
          <Button loading={busy} onClick={() => void make("en")}>
            {t("credit.report.makeEn")}
          </Button>
        </Space>
        {made && (
          <Alert
            type="success"
            showIcon
            title={t("credit.report.saved", { version: made.latest_version })}
            description={<Link to={`/customers/${customerId}?document=${made.id}`}>{t("credit.report.open")}</Link>}
          />
        )}
      </Space>
    </Card>
  );
}
