// 期限提醒: the file's open upkeep deadlines as the daily round recorded them — a license's end,
// a year's statements, a re-review by grade — only those drawn from what the reader may see.
import { Card, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch } from "../../hooks";

export type Deadline = Schemas["DeadlineRead"];

/** What the deadline is, with its fiscal year for a year's statements, or its contract. */
export function DeadlineName({ deadline }: { deadline: Deadline }) {
  const { t } = useTranslation();
  const what = t(`customers.deadlines.kind.${deadline.kind}`);
  if (deadline.contract_id)
    return (
      <>
        {what} <Link to={`/contracts/${deadline.contract_id}`} className="code">{deadline.contract_number}</Link>
      </>
    );
  return <>{deadline.year === null ? what : t("customers.deadlines.withYear", { what, year: deadline.year })}</>;
}

export function DeadlineState({ deadline }: { deadline: Deadline }) {
  const { t } = useTranslation();
  return (
    <Tag color={deadline.overdue ? "error" : "warning"} className="deadline-state">
      {t(deadline.overdue ? "customers.deadlines.overdue" : "customers.deadlines.upcoming")}
    </Tag>
  );
}

/** The file's deadlines, asked again whenever `round` moves on (after an upload). */
export function Deadlines({ customerId, round }: { customerId: string; round: number }) {
  const { t } = useTranslation();
  const found = useFetch<Deadline[]>(`/customers/${customerId}/deadlines`);
  const { reload } = found;
  useEffect(() => {
    if (round > 0) reload();
  }, [round, reload]);
  const columns: ColumnsType<Deadline> = [
    { title: t("customers.deadlines.what"), render: (_, d) => <DeadlineName deadline={d} /> },
    { title: t("customers.deadlines.due"), render: (_, d) => t("customers.deadlines.dueOn", { day: d.due_on }) },
    { title: t("customers.deadlines.state"), render: (_, d) => <DeadlineState deadline={d} /> },
    { title: t("customers.deadlines.notices"), dataIndex: "notices" },
    { title: t("customers.deadlines.reference"), render: (_, d) => <span className="code">{d.reference}</span> },
  ];
  return (
    <Card title={t("customers.deadlines.title")} size="small" className="deadlines" loading={found.loading && !found.data}>
      <Problem error={found.error} />
      <Typography.Paragraph type="secondary">{t("customers.deadlines.explain")}</Typography.Paragraph>
      <Table<Deadline>
        rowKey="id"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={found.data ?? []}
        locale={{ emptyText: t("customers.deadlines.none") }}
      />
    </Card>
  );
}
