// 登记合同: a contract of a customer, numbered by the server in its department's sequence.
import { Button, Card, Form, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { RemoteSelect } from "../../components/RemoteSelect";
import { useFetch, withQuery } from "../../hooks";
import { ContractFields, body } from "./ContractForm";
import type { Typed } from "./ContractForm";
import type { Contract } from "./words";

export function NewContract() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [customer, setCustomer] = useState<string | null>(params.get("customer"));
  const [form] = Form.useForm<Typed>();
  const [refusal, setRefusal] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const others = useFetch<Schemas["Page_ContractRead_"]>(
    customer ? withQuery("/contracts", { customer_id: customer, limit: 500 }) : null,
  );
  const submit = async (typed: Typed) => {
    if (!customer) return;
    setBusy(true);
    setRefusal(null);
    try {
      const made = await api.post<Contract>(`/customers/${customer}/contracts`, body(typed));
      navigate(`/contracts/${made.id}`);
    } catch (failed) {
      setRefusal(failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card className="narrow-card contract-form" title={<Typography.Title level={3}>{t("contracts.new")}</Typography.Title>}>
      <Form<Typed> form={form} layout="vertical" onFinish={submit} initialValues={{ kind: "original", status: "draft", currency: "CNY" }}>
        <Form.Item label={t("contracts.customer")} required>
          <RemoteSelect<Schemas["CustomerSummary"]>
            id="contract-customer"
            aria-label={t("contracts.customer")}
            path="/customers"
            value={customer}
            onChange={setCustomer}
            toOption={(c) => ({ value: c.id, label: c.name })}
          />
        </Form.Item>
        <ContractFields form={form} editing={false} others={(others.data?.items ?? []) as Contract[]} />
        <Problem error={refusal} />
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} disabled={!customer} className="submit">
            {t("contracts.new")}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
