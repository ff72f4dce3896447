// One contract: its record, its two hand-overs, the documents of it the reader may know exist,
// its history; changed with a reason, and documents of its file added, by who keeps the ledger.
import { Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { companyTime } from "../../format";
import { useFetch, withQuery } from "../../hooks";
import { ContractFields, body, typedOf } from "./ContractForm";
import type { Typed } from "./ContractForm";
import { changeWords, money } from "./words";

type Detail = Schemas["ContractDetail"];
type Change = Schemas["ContractChangeRead"];

function Handovers({ contract }: { contract: Detail }) {
  const { t } = useTranslation();
  if (contract.handovers.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space orientation="vertical" size={4}>
      {contract.handovers.map((h) => (
        <Space key={h.step} className={`handover handover-${h.step}`}>
          <span>{t(`contracts.step.${h.step}`)}</span>
          {h.done_on !== null ? (
            <Tag color="success">{t("contracts.doneOn", { day: h.done_on })}</Tag>
          ) : h.due_on === null ? (
            <Typography.Text type="secondary">{t("contracts.notYetDue")}</Typography.Text>
          ) : (
            <Tag color={h.overdue ? "error" : "warning"}>
              {t("contracts.dueOn", { day: h.due_on })}
              {h.overdue && ` · ${t("contracts.overdue")}`}
            </Tag>
          )}
        </Space>
      ))}
    </Space>
  );
}

function LinkDocuments({ contract, done }: { contract: Detail; done: () => void }) {
  const { t } = useTranslation();
  const { busy, problem, act } = useAct();
  const [chosen, setChosen] = useState<string[]>([]);
  const [reason, setReason] = useState("");
  const documents = useFetch<Schemas["Page_DocumentRead_"]>(
    withQuery("/documents", { customer_id: contract.customer_id, limit: 500 }),
  );
  const linked = new Set(contract.documents.map((d) => d.id));
  const options = (documents.data?.items ?? [])
    .filter((d) => !linked.has(d.id))
    .map((d) => ({ value: d.id, label: `${d.title} · ${t(`customers.docType.${d.doc_type}`)}` }));
  const submit = async () => {
    const path = `/contracts/${contract.id}/documents`;
    const made = await act(() => api.post(path, { document_ids: chosen, reason: reason.trim() }), t("contracts.linked"));
    if (made) {
      setChosen([]);
      setReason("");
      done();
    }
  };
  return (
    <Space orientation="vertical" className="link-documents">
      <Typography.Text type="secondary">{t("contracts.linkHint")}</Typography.Text>
      <Select mode="multiple" aria-label={t("contracts.link")} className="link-select" value={chosen} onChange={setChosen} options={options} />
      <Input aria-label={t("contracts.reason")} placeholder={t("contracts.reason")} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      <Problem error={problem ?? documents.error} />
      <Button onClick={() => void submit()} loading={busy} disabled={chosen.length === 0 || !reason.trim()}>
        {t("contracts.link")}
      </Button>
    </Space>
  );
}

function History({ changes, people }: { changes: Change[]; people: Record<string, string> }) {
  const { t } = useTranslation();
  const columns: ColumnsType<Change> = [
    { title: t("contracts.history"), render: (_, c) => t(`contracts.change.${c.kind}`) },
    { title: "", render: (_, c) => `${companyTime(c.created_at)} · ${c.changed_by_name}` },
    { title: t("contracts.reason"), render: (_, c) => c.reason ?? "—" },
    {
      title: "",
      render: (_, c) =>
        c.kind === "link"
          ? c.changes.length
          : c.changes.map((f) => {
              const [before, after] = [f.before, f.after].map((v) => changeWords(f.field, v, t, people));
              return (
                <div key={f.field}>
                  {before.name}: {before.value} → {after.value}
                </div>
              );
            }),
    },
  ];
  return <Table<Change> rowKey="id" size="small" pagination={false} columns={columns} dataSource={changes} />;
}

export function ContractPage() {
  const { t } = useTranslation();
  const { contractId = "" } = useParams();
  const found = useFetch<Detail>(`/contracts/${contractId}`);
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<Typed>();
  const { busy, problem, act } = useAct();
  const contract = found.data;
  if (!contract) return <Card loading={found.loading}><Problem error={found.error} /></Card>;
  const save = async () => {
    const typed = await form.validateFields();
    const changed = Object.fromEntries(
      Object.entries(body(typed)).filter(([key]) => key === "reason" || form.isFieldTouched(key as keyof Typed)),
    );
    const saved = await act(() => api.patch(`/contracts/${contract.id}`, changed), t("contracts.saved"));
    if (saved) {
      setEditing(false);
      found.reload();
    }
  };
  const documentColumns: ColumnsType<Schemas["ContractDocument"]> = [
    {
      title: t("contracts.titleField"),
      render: (_, d) => <Link to={`/customers/${contract.customer_id}?document=${d.id}`}>{d.title}</Link>,
    },
    { title: t("contracts.kindField"), render: (_, d) => t(`customers.docType.${d.doc_type}`) },
    { title: "", render: (_, d) => t(`customers.secrecy.${d.secrecy}`) },
  ];
  return (
    <Space orientation="vertical" size={16} className="page contract">
      <Link to="/contracts">{t("contracts.back")}</Link>
      <Space className="page-head" wrap>
        <Typography.Title level={3}>
          <span className="code">{contract.number}</span> {contract.title}
        </Typography.Title>
        {contract.editable && (
          <Button onClick={() => { form.resetFields(); form.setFieldsValue(typedOf(contract)); setEditing(true); }}>
            {t("contracts.edit")}
          </Button>
        )}
      </Space>
      <Card size="small">
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t("contracts.customer")}>
            <Link to={`/customers/${contract.customer_id}`}>{contract.customer_name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("contracts.counterparty")}>{contract.counterparty}</Descriptions.Item>
          <Descriptions.Item label={t("contracts.kindField")}>{t(`contracts.kind.${contract.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t("contracts.statusField")}>{t(`contracts.status.${contract.status}`)}</Descriptions.Item>
          <Descriptions.Item label={t("contracts.amount")}>{money(contract.amount, contract.currency)}</Descriptions.Item>
          <Descriptions.Item label={t("contracts.signedOn")}>{contract.signed_on ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("contracts.term")}>
            {contract.term_start ?? "—"} – {contract.term_end ?? "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("contracts.custodian")}>{contract.custodian_name}</Descriptions.Item>
          <Descriptions.Item label={t("contracts.handedToCredit")}>{contract.handed_to_credit_on ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("contracts.handedToArchive")}>{contract.handed_to_archive_on ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("contracts.handovers")} span={2}>
            <Handovers contract={contract} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t("contracts.documents")}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          columns={documentColumns}
          dataSource={contract.documents}
          locale={{ emptyText: t("contracts.noDocuments") }}
        />
        {contract.editable && <LinkDocuments contract={contract} done={found.reload} />}
      </Card>
      <Card size="small" title={t("contracts.history")}>
        <History changes={contract.history} people={{ [contract.custodian_id]: contract.custodian_name }} />
      </Card>
      <Modal
        open={editing}
        title={`${t("contracts.edit")} ${contract.number}`}
        okText={t("contracts.save")}
        confirmLoading={busy}
        onOk={() => void save()}
        onCancel={() => setEditing(false)}
        destroyOnHidden
      >
        <Form<Typed> form={form} layout="vertical" className="contract-form">
          <ContractFields form={form} editing others={[]} />
          <Problem error={problem} />
        </Form>
      </Modal>
    </Space>
  );
}
