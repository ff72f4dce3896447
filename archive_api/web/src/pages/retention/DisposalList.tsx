// 待处置清单: documents whose retention has passed, as the server judges them today; those a
// legal hold keeps are listed apart, and those without a start date are shown to be completed.
import { Alert, Card, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch, usePaged } from "../../hooks";
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
      <Typography.Title level={3}>{t("retention.title")}</Typography.Title>
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
          onChange={(key) => setState(key as State)}
          items={STATES.map((key) => ({ key, label: t(`retention.tab.${key}`) }))}
        />
        <Problem error={list.error} />
        {state === "undated" && <Alert type="info" showIcon className="undated-hint" title={t("retention.undatedHint")} />}
        <Table<Item>
          rowKey="document_id"
          size="small"
          className="disposal-list"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          pagination={list.pagination}
          locale={{ emptyText: t("retention.empty") }}
        />
      </Card>
    </Space>
  );
}
