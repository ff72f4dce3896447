// 待处置清单: documents whose retention has passed, as the server judges them today; those a
// legal hold keeps are listed apart, and those without a start date are shown to be completed.
// Due documents are chosen and put into a disposal request (销毁申请) with its reason.
import { Alert, Button, Card, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { useFetch, usePaged } from "../../hooks";
import { ReasonModal } from "../borrowings/ReasonModal";
import { HoldScope } from "../customers/Holds";
import "./retention.css";

type Item = Schemas["DisposalItem"];
type State = Schemas["DisposalList"]["state"];
const STATES: State[] = ["due", "held", "undated"];

export function DisposalList() {
  const { t } = useTranslation();
  const [state, setState] = useState<State>("due");
  const [department, setDepartment] = useState<string | null>(null);
  const departments = useFetch<Schemas["DepartmentChoice"][]>("/customers/departments");
  const list = usePaged<Item>("/retention/disposal-list", { state, department_id: department }, 50);
  const asOf = (list.data as Schemas["DisposalList"] | null)?.as_of ?? "";
  const [chosen, setChosen] = useState<string[]>([]);
  const [asking, setAsking] = useState(false);
  const { act, busy } = useAct();
  const navigate = useNavigate();
  const request = async ({ reason }: { reason?: string }) => {
    const body = { document_ids: chosen, reason };
    const made = await act(() => api.post<Schemas["DisposalRead"]>("/disposals", body), t("retention.request.done"));
    if (made) navigate(`/retention/disposals/${made.id}`);
  };
  const columns: ColumnsType<Item> = [
    {
      title: t("retention.customer"),
      key: "customer",
      render: (_, i) => (
        <Link to={`/customers/${i.customer_id}?document=${i.document_id}`} translate="no">
          {i.customer_name}
        </Link>
      ),
    },
    { title: t("retention.document"), dataIndex: "title", render: (title: string) => <span translate="no">{title}</span> },
    {
      title: t("retention.type"),
      dataIndex: "doc_type",
      render: (type: string) => t(`customers.docType.${type}`),
    },
    {
      title: t("retention.rule"),
      key: "rule",
      render: (_, i) => (
        <Space size={4} wrap>
          {t("retention.years", { years: i.years })}
          {i.trigger && (
            <Typography.Text type="secondary">
              {t("retention.from")} {t(`retention.trigger.${i.trigger}`)} {i.trigger_on}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t("retention.dueOn"), dataIndex: "due_on", render: (day: string | null) => day ?? "—" },
  ];
  if (state === "held")
    columns.push({
      title: t("retention.holds"),
      key: "holds",
      render: (_, i) =>
        i.holds.map((h) => (
          <div key={h.id} className="disposal-hold">
            <HoldScope hold={h} /> <Tag color="red">{h.reason}</Tag>
          </div>
        )),
    });
  return (
    <Space orientation="vertical" size={16} className="page disposal">
      <Space wrap className="disposal-heading">
        <Typography.Title level={3}>{t("retention.title")}</Typography.Title>
        <Link to="/retention/disposals" className="disposal-requests-link">{t("retention.requests.title")}</Link>
      </Space>
      <Typography.Paragraph type="secondary">{t("retention.intro", { day: asOf })}</Typography.Paragraph>
      <Card size="small">
        <Space wrap>
          {t("retention.department")}
          <Select
            className="disposal-department"
            value={department ?? ""}
            onChange={(value) => setDepartment(value || null)}
            options={[
              { value: "", label: t("retention.allDepartments") },
              ...(departments.data ?? []).map((d) => ({ value: d.id, label: d.name })),
            ]}
          />
        </Space>
        <Tabs
          activeKey={state}
          onChange={(key) => {
            setState(key as State);
            setChosen([]);
          }}
          items={STATES.map((key) => ({ key, label: t(`retention.tab.${key}`) }))}
        />
        <Problem error={list.error} />
        {state === "undated" && <Alert type="info" showIcon className="undated-hint" title={t("retention.undatedHint")} />}
        {state === "due" && (
          <Space className="disposal-actions">
            <Button type="primary" danger disabled={!chosen.length} className="disposal-request" onClick={() => setAsking(true)}>
              {t("retention.request.button", { count: chosen.length })}
            </Button>
            <Typography.Text type="secondary">{t("retention.request.hint")}</Typography.Text>
          </Space>
        )}
        <Table<Item>
          rowKey="document_id"
          rowSelection={
            state === "due"
              ? { selectedRowKeys: chosen, onChange: (keys) => setChosen(keys.map(String)), preserveSelectedRowKeys: true }
              : undefined
          }
          size="small"
          className="disposal-list"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          pagination={list.pagination}
          locale={{ emptyText: t("retention.empty") }}
        />
      </Card>
      <ReasonModal
        open={asking}
        title={t("retention.request.title")}
        ask="reason"
        busy={busy}
        name="disposal-request"
        onCancel={() => setAsking(false)}
        onSubmit={(value) => void request(value)}
      />
    </Space>
  );
}
