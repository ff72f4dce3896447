// 客户档案: find a customer by name or code, department, custodian and grade.
import { Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { usePaged } from "../../hooks";
import { useSession } from "../../session";
import { KeeperFilters, useKeepers } from "./Keepers";
import { GRADES, MAY, STATUSES } from "./kinds";
import { StatusTag } from "./Status";

type Customer = Schemas["CustomerSummary"];

interface Filters {
  q?: string;
  department_id?: string;
  custodian_id?: string;
  grade?: string;
  status?: string;
  important?: string;
}

export function Search() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { holds } = useSession();
  const [filters, setFilters] = useState<Filters>({});
  const [typed, setTyped] = useState("");
  const customers = usePaged<Customer>("/customers", { ...filters });
  const keepers = useKeepers();
  const any = { value: "", label: t("customers.search.any") };
  const choose = (key: keyof Filters) => (value: string) =>
    setFilters((was) => ({ ...was, [key]: value || undefined }));

  const columns: ColumnsType<Customer> = [
    {
      title: t("customers.column.name"),
      dataIndex: "name",
      render: (name: string, c) => (
        <Space size={4}>
          <Link to={`/customers/${c.id}`}>{name}</Link>
          {c.important && (
            <Tag color="gold" className="important">
              {t("customers.proposal.important")}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t("customers.column.uscc"),
      dataIndex: "uscc",
      render: (code: string) => <span className="code">{code}</span>,
    },
    {
      title: t("customers.column.status"),
      dataIndex: "status",
      render: (status: Customer["status"]) => <StatusTag status={status} />,
    },
    { title: t("customers.column.department"), dataIndex: "department_name" },
    { title: t("customers.column.custodian"), dataIndex: "custodian_name" },
    {
      title: t("customers.column.grade"),
      dataIndex: "grade",
      render: (grade: string | null) => grade ?? "—",
    },
  ];

  return (
    <Space orientation="vertical" size={16} className="page">
      <Space className="page-head" wrap>
        <Typography.Title level={3}>{t("customers.search.title")}</Typography.Title>
        <Space>
          <Button className="incomplete" onClick={() => navigate("/customers/incomplete")}>
            {t("customers.completeness.report.open")}
          </Button>
          <Button className="proposals" onClick={() => navigate("/customers/secrecy-proposals")}>
            {t("customers.proposal.list")}
          </Button>
          {holds(...MAY.open) && (
            <Button type="primary" onClick={() => navigate("/customers/new")}>
              {t("customers.search.open")}
            </Button>
          )}
        </Space>
      </Space>
      <Card size="small">
        <Form layout="inline" className="filters">
          <Form.Item label={t("customers.search.query")} htmlFor="customer-query">
            <Input.Search
              id="customer-query"
              allowClear
              placeholder={t("customers.search.queryPlaceholder")}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onSearch={(value) => choose("q")(value.trim())}
              className="query"
            />
          </Form.Item>
          <KeeperFilters id="customer" keepers={keepers} chosen={filters} onChoose={choose} />
          <Form.Item label={t("customers.search.status")} htmlFor="customer-status">
            <Select
              id="customer-status"
              className="choice"
              value={filters.status ?? ""}
              onChange={choose("status")}
              options={[any, ...STATUSES.map((s) => ({ value: s, label: t(`customers.status.${s}`) }))]}
            />
          </Form.Item>
          <Form.Item label={t("customers.proposal.importantFilter")} htmlFor="customer-important">
            <Select
              id="customer-important"
              className="choice"
              value={filters.important ?? ""}
              onChange={choose("important")}
              options={[
                any,
                { value: "true", label: t("customers.proposal.importantOnly") },
                { value: "false", label: t("customers.proposal.notImportant") },
              ]}
            />
          </Form.Item>
          {holds(...MAY.readCredit) && (
            <Form.Item label={t("customers.search.grade")} htmlFor="customer-grade">
              <Select
                id="customer-grade"
                className="grade"
                value={filters.grade ?? ""}
                onChange={choose("grade")}
                options={[any, ...GRADES.map((g) => ({ value: g, label: g }))]}
              />
            </Form.Item>
          )}
        </Form>
      </Card>
      <Problem error={customers.error ?? keepers.departments.error ?? keepers.custodians.error} />
      <Table<Customer>
        rowKey="id"
        columns={columns}
        dataSource={customers.data?.items ?? []}
        loading={customers.loading}
        pagination={customers.pagination}
        locale={{ emptyText: t("customers.search.empty") }}
      />
    </Space>
  );
}
