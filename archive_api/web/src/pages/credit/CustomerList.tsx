// The customers a credit manager may review, found by name or code, one server page at a time.
import { Form, Input, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { companyTime } from "../../format";
import { usePaged } from "../../hooks";

type Customer = Schemas["CustomerRead"];

export function CustomerList() {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const customers = usePaged<Customer>("/customers", { q });
  return (
    <>
      <Typography.Title level={3}>{t("credit.title")}</Typography.Title>
      <Form layout="vertical" className="credit-search">
        <Form.Item label={t("credit.list.search")} htmlFor="credit-search">
          <Input.Search id="credit-search" allowClear onSearch={(value) => setQ(value.trim())} />
        </Form.Item>
      </Form>
      <Problem error={customers.error} />
      <Table<Customer>
        rowKey="id"
        size="middle"
        loading={customers.loading}
        dataSource={customers.data?.items ?? []}
        pagination={customers.pagination}
        columns={[
          {
            title: t("credit.list.name"),
            dataIndex: "name",
            render: (name: string, c) => <Link to={`/credit/${c.id}`}>{name}</Link>,
          },
          { title: t("credit.list.uscc"), dataIndex: "uscc" },
          {
            title: t("credit.list.created"),
            dataIndex: "created_at",
            render: (at: string) => companyTime(at),
          },
        ]}
      />
    </>
  );
}
