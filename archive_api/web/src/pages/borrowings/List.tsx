// The borrowings I asked for, those waiting for my approval, and all I may see (archivists).
import { PlusOutlined, ReadOutlined } from "@ant-design/icons";
import { Button, Space, Table, Tabs, Tag, Typography } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { Problem } from "../../components/Problem";
import { companyTime } from "../../format";
import { usePaged } from "../../hooks";
import { useSession } from "../../session";
import { statusOf, type Borrowing } from "./logic";

const SCOPES = ["mine", "to_approve", "all"] as const;
type Scope = (typeof SCOPES)[number];

export function StatusTag({ borrowing }: { borrowing: Pick<Borrowing, "status" | "overdue"> }) {
  const { t } = useTranslation();
  const shown = statusOf(borrowing);
  return <Tag color={shown.color}>{t(shown.key)}</Tag>;
}

/** The borrowing number as a table column, linking to the borrowing. */
export function numberColumn(t: TFunction) {
  return {
    title: t("borrowings.column.number"),
    dataIndex: "number",
    render: (number: string, b: Borrowing) => (
      <Link className="bw-number" to={`/borrowings/${b.id}`}>
        {number}
      </Link>
    ),
  };
}

export function BorrowingList() {
  const { t } = useTranslation();
  const { holds } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const approver = holds("dept_head", "marketing_director", "archivist");
  const archivist = holds("archivist");
  const scopes = SCOPES.filter((s) => s === "mine" || (s === "to_approve" ? approver : archivist));
  const asked = params.get("scope") as Scope | null;
  const scope: Scope = asked && scopes.includes(asked) ? asked : "mine";
  const list = usePaged<Borrowing>("/borrowings", { scope });

  const columns = [
    numberColumn(t),
    { title: t("borrowings.column.customer"), dataIndex: "customer_name" },
    ...(scope === "mine" ? [] : [{ title: t("borrowings.column.requester"), dataIndex: "requester_name" }]),
    { title: t("borrowings.column.purpose"), dataIndex: "purpose", ellipsis: true },
    {
      title: t("borrowings.column.mode"),
      dataIndex: "mode",
      render: (mode: string) => t(`borrowings.mode.${mode}`),
    },
    {
      title: t("borrowings.column.status"),
      key: "status",
      render: (_: unknown, b: Borrowing) => <StatusTag borrowing={b} />,
    },
    {
      title: t("borrowings.column.due"),
      dataIndex: "due_at",
      render: (due: string | null, b: Borrowing) => (
        <Typography.Text type={b.overdue ? "danger" : undefined}>{companyTime(due)}</Typography.Text>
      ),
    },
    {
      title: t("borrowings.column.created"),
      dataIndex: "created_at",
      render: (at: string) => companyTime(at),
    },
  ];

  return (
    <>
      <Space className="bw-page-head" wrap>
        <Typography.Title level={3}>{t("borrowings.title")}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/borrowings/new")}>
          {t("borrowings.newRequest")}
        </Button>
        {archivist && (
          <Button icon={<ReadOutlined />} onClick={() => navigate("/borrowings/register")}>
            {t("borrowings.register")}
          </Button>
        )}
      </Space>
      <Tabs
        activeKey={scope}
        onChange={(key) => setParams({ scope: key })}
        items={scopes.map((s) => ({ key: s, label: t(`borrowings.tabs.${s}`) }))}
      />
      <Problem error={list.error} />
      <Table<Borrowing>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.loading}
        pagination={list.pagination}
        rowClassName={(b) => (b.overdue ? "bw-row-overdue" : "")}
      />
    </>
  );
}
