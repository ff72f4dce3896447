// 不完整档案: the customer files the reader may see that lack a required document or hold only
// expired ones, by department and custodian, with the report as CSV or XLSX.
import { DownloadOutlined } from "@ant-design/icons";
import { Button, Card, Form, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch, withQuery } from "../../hooks";
import { ItemName, Until } from "./Completeness";
import { KeeperFilters, useKeepers } from "./Keepers";
import { StatusTag } from "./Status";
import { reportPath } from "./upkeep";
import type { Item } from "./upkeep";

type Row = Schemas["IncompleteFile"];
type Report = Schemas["IncompleteReport"];

interface Filters {
  department_id?: string;
  custodian_id?: string;
}

function Gaps({ gaps }: { gaps: Item[] }) {
  return (
    <ul className="gaps">
      {gaps.map((gap) => (
        <li key={`${gap.doc_type}-${gap.year ?? ""}`}>
          <ItemName item={gap} />
          {gap.state === "expired" && (
            <Typography.Text type="secondary">
              {" "}
              <Until item={gap} />
            </Typography.Text>
          )}
        </li>
      ))}
    </ul>
  );
}

export function Incomplete() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const report = useFetch<Report>(withQuery("/customers/incomplete", { ...filters }));
  const keepers = useKeepers();
  const choose = (key: keyof Filters) => (value: string) => setFilters((was) => ({ ...was, [key]: value || undefined }));
  const columns: ColumnsType<Row> = [
    { title: t("customers.column.department"), dataIndex: "department_name" },
    { title: t("customers.column.custodian"), dataIndex: "custodian_name" },
    {
      title: t("customers.completeness.report.customer"),
      render: (_, row) => <Link to={`/customers/${row.customer_id}`}>{row.customer_name}</Link>,
    },
    { title: t("customers.column.status"), render: (_, row) => <StatusTag status={row.status} /> },
    {
      title: t("customers.completeness.report.missing"),
      render: (_, row) => <Gaps gaps={row.gaps.filter((g) => g.state === "missing")} />,
    },
    {
      title: t("customers.completeness.report.expired"),
      render: (_, row) => <Gaps gaps={row.gaps.filter((g) => g.state === "expired")} />,
    },
  ];
  return (
    <Space orientation="vertical" size={16} className="page incomplete-files">
      <Link to="/customers">{t("customers.file.back")}</Link>
      <Space className="page-head" wrap>
        <Typography.Title level={3}>{t("customers.completeness.report.title")}</Typography.Title>
        <Space>
          {(["csv", "xlsx"] as const).map((format) => (
            <Button key={format} href={reportPath(format, filters)} download icon={<DownloadOutlined />}>
              {`${t("customers.completeness.report.download")} ${format.toUpperCase()}`}
            </Button>
          ))}
        </Space>
      </Space>
      <Typography.Paragraph type="secondary">
        {t("customers.completeness.report.intro")}
        {report.data && (
          <span className="as-of"> {t("customers.completeness.asOf", { day: report.data.as_of })}</span>
        )}
      </Typography.Paragraph>
      <Card size="small">
        <Form layout="inline" className="filters">
          <KeeperFilters id="incomplete" keepers={keepers} chosen={filters} onChoose={choose} />
        </Form>
      </Card>
      <Problem error={report.error ?? keepers.departments.error ?? keepers.custodians.error} />
      <Table<Row>
        rowKey="customer_id"
        columns={columns}
        dataSource={report.data?.items ?? []}
        loading={report.loading}
        pagination={{ pageSize: 50, showTotal: (count) => t("customers.completeness.report.total", { count }) }}
        locale={{ emptyText: t("customers.completeness.report.empty") }}
      />
    </Space>
  );
}
