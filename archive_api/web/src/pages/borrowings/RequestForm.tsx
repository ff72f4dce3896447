// 申请借阅: the customer, the whole file or chosen documents, purpose, mode and hours, with the
// limits the rules set for this request shown before it is sent.
import { Alert, Button, Card, Checkbox, Form, Input, InputNumber, Radio, Space, Table, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../../api/client";
import type { Page, Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { useFetch, usePaged, withQuery } from "../../hooks";
import { CustomerPicker } from "./CustomerPicker";
import { idsFrom, type Borrowing } from "./logic";

type Terms = Schemas["BorrowingTerms"];
type Document = Schemas["DocumentRead"];

interface Fields {
  customer_id?: string;
  scope: "whole" | "chosen";
  purpose?: string;
  mode?: Schemas["BorrowMode"];
  hours?: number;
  external: boolean;
}

/** The terms path for this choice, or null while there is nothing to ask about. */
function termsPath(customer: string | undefined, scope: string, chosen: string[], external: boolean, empty: boolean) {
  if (!customer || empty || (scope === "chosen" && chosen.length === 0)) return null;
  const base = withQuery("/borrowings/terms", { customer_id: customer, external });
  const documents = scope === "chosen" ? chosen.map((d) => `&document_ids=${encodeURIComponent(d)}`).join("") : "";
  return base + documents;
}

function DocumentChooser({ customer, chosen, onChosen }: { customer: string; chosen: string[]; onChosen: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const documents = usePaged<Document>("/documents", { customer_id: customer }, 10);
  return (
    <>
      <Problem error={documents.error} />
      <Table<Document>
        rowKey="id"
        size="small"
        dataSource={documents.data?.items ?? []}
        loading={documents.loading}
        pagination={documents.pagination}
        rowSelection={{ selectedRowKeys: chosen, preserveSelectedRowKeys: true, onChange: (keys) => onChosen(keys.map(String)) }}
        columns={[
          { title: t("borrowings.field.documents"), dataIndex: "title" },
          { title: t("borrowings.field.secrecy"), dataIndex: "secrecy", render: (s: string) => t(`secrecy.${s}`) },
        ]}
        locale={{ emptyText: t("borrowings.noDocuments") }}
      />
    </>
  );
}

export function RequestForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { busy, act } = useAct();
  const given = params.get("customer");
  const [chosen, setChosen] = useState<string[]>(() => idsFrom(params.get("documents")));
  const [form] = Form.useForm<Fields>();
  const customer = Form.useWatch("customer_id", form) ?? given ?? undefined;
  const scope = Form.useWatch("scope", form) ?? (chosen.length ? "chosen" : "whole");
  const external = Form.useWatch("external", form) ?? false;
  const known = useFetch<Schemas["CustomerRead"]>(given ? `/customers/${given}` : null);
  // A file with nothing in it has nothing to borrow: say so rather than ask and be refused.
  const held = useFetch<Page<Document>>(customer ? withQuery("/documents", { customer_id: customer, limit: 1 }) : null);
  const empty = held.data?.total === 0;
  const terms = useFetch<Terms>(termsPath(customer, scope, chosen, external, empty || held.data === null));
  const rules = terms.error ? null : terms.data;
  const approvers = useMemo(() => (rules?.approver_roles ?? []).map((r) => t(`role.${r}`)).join(" → "), [rules, t]);

  // A mode the rules do not allow is not kept; a single allowed mode is chosen for the user.
  useEffect(() => {
    if (!rules) return;
    const mode = form.getFieldValue("mode") as Fields["mode"];
    if (!mode || !rules.modes.includes(mode)) form.setFieldValue("mode", rules.modes.length === 1 ? rules.modes[0] : undefined);
  }, [rules, form]);

  const submit = async (fields: Fields) => {
    const body = {
      customer_id: fields.customer_id,
      document_ids: fields.scope === "chosen" ? chosen : [],
      purpose: fields.purpose?.trim(),
      mode: fields.mode,
      hours: fields.hours,
      external: fields.external,
    };
    const made = await act(() => api.post<Borrowing>("/borrowings", body), t("borrowings.done.requested"));
    if (made) navigate(`/borrowings/${made.id}`);
  };

  const required = { required: true, message: t("borrowings.form.required") };
  return (
    <Card title={t("borrowings.form.title")} className="bw-request-form">
      <Form<Fields>
        form={form}
        layout="vertical"
        initialValues={{ customer_id: given ?? undefined, scope: chosen.length ? "chosen" : "whole", external: false, hours: 4 }}
        onFinish={(fields) => void submit(fields)}
      >
        <Form.Item name="customer_id" label={t("borrowings.form.customer")} rules={[required]}>
          <CustomerPicker known={known.data} knownLoading={known.loading} />
        </Form.Item>
        <Form.Item name="scope" label={t("borrowings.form.scope")}>
          <Radio.Group
            options={[
              { value: "whole", label: t("borrowings.wholeFile") },
              { value: "chosen", label: t("borrowings.chosen") },
            ]}
          />
        </Form.Item>
        {scope === "chosen" && customer && (
          <Form.Item label={t("borrowings.form.documents")} extra={t("borrowings.form.documentsHelp")} required>
            <DocumentChooser customer={customer} chosen={chosen} onChosen={setChosen} />
          </Form.Item>
        )}
        <Form.Item name="external" valuePropName="checked" label={t("borrowings.field.external")}>
          <Checkbox>{t("borrowings.form.external")}</Checkbox>
        </Form.Item>
        {empty ? (
          <Alert type="warning" showIcon title={t("borrowings.noDocuments")} />
        ) : terms.error ? (
          <Problem error={terms.error} />
        ) : rules ? (
          <Alert
            type="info"
            showIcon
            className="bw-terms"
            title={t("borrowings.form.limits", { hours: rules.longest_hours, approvers })}
            description={rules.same_day ? t("borrowings.form.sameDay") : undefined}
          />
        ) : (
          <Typography.Text type="secondary">
            {customer ? t("borrowings.form.chooseDocuments") : t("borrowings.form.noTerms")}
          </Typography.Text>
        )}
        <Form.Item name="purpose" label={t("borrowings.form.purpose")} extra={t("borrowings.form.purposeHelp")} rules={[{ ...required, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="mode" label={t("borrowings.form.mode")} rules={[required]}>
          <Radio.Group
            options={(["view", "download", "physical"] as const).map((mode) => ({
              value: mode,
              label: t(`borrowings.mode.${mode}`),
              disabled: !rules?.modes.includes(mode),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="hours"
          label={t("borrowings.form.hours")}
          rules={[required]}
          extra={rules ? t("borrowings.form.most", { hours: rules.longest_hours }) : undefined}
        >
          <InputNumber min={1} max={rules?.longest_hours} precision={0} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} disabled={!rules}>
            {t("borrowings.action.submit")}
          </Button>
          <Button onClick={() => navigate("/borrowings")}>{t("borrowings.action.cancel")}</Button>
        </Space>
      </Form>
    </Card>
  );
}
