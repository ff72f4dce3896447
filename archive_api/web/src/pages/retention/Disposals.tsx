// 销毁申请: the disposal requests of the departments where one reviews retention, newest first,
// with what each awaits.
import { Card, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { companyTime } from "../../format";
import { usePaged } from "../../hooks";
import "./retention.css";

type Disposal = Schemas["DisposalRead"];
type Status = Disposal["status"];
const STATUSES: Status[] = ["pending", "approved", "refused", "executing", "executed"];
export const STATUS_COLOURS: Record<Status, string> = {
  pending: "gold",
  approved: "blue",
  refused: "default",
  executing: "orange",
  executed: "green",
};

export function Disposals() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<Status | null>(null);
  const list = usePaged<Disposal>("/disposals", { status }, 20);
  const columns: ColumnsType<Disposal> = [
    {
      title: t("retention.requests.number"),
      dataIndex: "number",
      render: (number: string, d) => <Link to={`/retention/disposals/${d.id}`}>{number}</Link>,
    },
    {
      title: t("retention.requests.status"),
      dataIndex: "status",
      render: (s: Status) => <Tag color={STATUS_COLOURS[s]}>{t(`retention.status.${s}`)}</Tag>,
    },
    { title: t("retention.requests.items"), key: "items", render: (_, d) => d.items.length },
    { title: t("retention.requests.requester"), dataIndex: "requester_name" },
    { title: t("retention.requests.at"), dataIndex: "created_at", render: (at: string) => companyTime(at) },
    {
      title: t("retention.requests.awaiting"),
      key: "awaiting",
      render: (_, d) => d.awaiting.map((role) => <Tag key={role}>{t(`retention.capacity.${role}`)}</Tag>),
    },
  ];
  return (
    <Space orientation="vertical" size={16} className="page disposal">
      <Space wrap className="disposal-heading">
        <Typography.Title level={3}>{t("retention.requests.title")}</Typography.Title>
        <Link to="/retention">{t("retention.title")}</Link>
      </Space>
      <Card size="small">
        <Space wrap className="disposal-filter">
          {t("retention.requests.status")}
          <Select
            className="disposal-status"
            value={status ?? ""}
            onChange={(value) => setStatus((value || null) as Status | null)}
            options={[
              { value: "", label: t("retention.requests.all") },
              ...STATUSES.map((s) => ({ value: s, label: t(`retention.status.${s}`) })),
            ]}
          />
        </Space>
        <Problem error={list.error} />
        <Table<Disposal>
          rowKey="id"
          size="small"
          className="disposal-requests"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          pagination={list.pagination}
          locale={{ emptyText: t("retention.requests.empty") }}
        />
      </Card>
    </Space>
  );
}
