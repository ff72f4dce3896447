// A customer's industry: it chooses the credit reference table of its ratings.
import { AutoComplete, Button, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { INDUSTRIES, industryOf } from "./kinds";

export const industryOptions = INDUSTRIES.map((value) => ({ value }));

interface Props {
  customer: Schemas["CustomerSummary"];
  mayEdit: boolean;
  onSaved: () => void;
}

export function Industry({ customer, mayEdit, onSaved }: Props) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<unknown>(null);

  const save = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      await api.patch(`/customers/${customer.id}`, { industry: industryOf(typed ?? "") });
      setTyped(null);
      onSaved();
    } catch (failed) {
      setRefusal(failed);
    } finally {
      setBusy(false);
    }
  };

  if (typed !== null)
    return (
      <Space orientation="vertical" className="industry">
        <Space wrap>
          <AutoComplete
            value={typed}
            options={industryOptions}
            onChange={setTyped}
            maxLength={64}
            aria-label={t("customers.file.industry")}
            className="industry-input"
          />
          <Button type="primary" size="small" loading={busy} onClick={save}>
            {t("customers.file.industrySave")}
          </Button>
          <Button size="small" onClick={() => setTyped(null)}>
            {t("customers.file.industryCancel")}
          </Button>
        </Space>
        <Problem error={refusal} />
      </Space>
    );
  return (
    <Space className="industry">
      {customer.industry ? (
        <span translate="no">{customer.industry}</span>
      ) : (
        <Typography.Text type="warning">{t("customers.file.noIndustry")}</Typography.Text>
      )}
      {mayEdit && (
        <Button size="small" type="link" className="edit-industry" onClick={() => setTyped(customer.industry ?? "")}>
          {t("customers.file.industryEdit")}
        </Button>
      )}
    </Space>
  );
}
