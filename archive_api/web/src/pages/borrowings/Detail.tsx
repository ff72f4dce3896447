// One borrowing: what it covers and why, its times, the approval chain, and what may be done.
import { ArrowLeftOutlined, DownloadOutlined, EyeOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Descriptions, Row, Space, Spin, Table, Typography, type TableProps } from "antd";
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { companyTime } from "../../format";
import { useFetch, usePaged } from "../../hooks";
import { useSession } from "../../session";
import { Actions } from "./Actions";
import { Chain } from "./Chain";
import { StatusTag } from "./List";
import { actionsFor, type Action, type Borrowing } from "./logic";

interface Shown {
  id: string;
  title: string;
}

function Documents({ borrowing, actions }: { borrowing: Borrowing; actions: Set<Action> }) {
  const { t } = useTranslation();
  const columns = [
    { title: t("borrowings.field.documents"), dataIndex: "title" },
    {
      title: t("borrowings.field.open"),
      key: "open",
      width: 220,
      render: (_: unknown, d: Shown) => (
        <Space>
          {actions.has("read") && (
            <Link to={`/borrowings/${borrowing.id}/read/${d.id}`}>
              <EyeOutlined /> {t("borrowings.action.read")}
            </Link>
          )}
          {actions.has("download") && (
            <a href={`/api/v1/documents/${d.id}/content`} download>
              <DownloadOutlined /> {t("borrowings.action.download")}
            </a>
          )}
        </Space>
      ),
    },
  ];
  const table = (rows: Shown[], more: Partial<TableProps<Shown>> = {}) => (
    <Table<Shown>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={false}
      locale={{ emptyText: t("borrowings.noDocuments") }}
      {...more}
    />
  );
  if (!borrowing.whole_file) return table(borrowing.documents);
  return <WholeFile customerId={borrowing.customer_id} table={table} />;
}

function WholeFile({
  customerId,
  table,
}: {
  customerId: string;
  table: (rows: Shown[], more: Partial<TableProps<Shown>>) => ReactNode;
}) {
  // A whole-file borrowing covers the customer's documents the reader may see, listed by the API.
  const whole = usePaged<Schemas["DocumentRead"]>("/documents", { customer_id: customerId }, 10);
  return (
    <>
      <Problem error={whole.error} />
      {table(whole.data?.items ?? [], { loading: whole.loading, pagination: whole.pagination })}
    </>
  );
}

export function BorrowingDetail() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const { me, holds } = useSession();
  const fetched = useFetch<Borrowing>(`/borrowings/${id}`);
  const [borrowing, setBorrowing] = useState<Borrowing | null>(null);
  useEffect(() => setBorrowing(fetched.data), [fetched.data]);

  if (fetched.error) return <Problem error={fetched.error} />;
  if (!borrowing || !me) return <Spin className="loading" />;
  const b = borrowing;
  const actions = actionsFor(b, me.id, holds("archivist"));
  const yesNo = (value: boolean) => t(value ? "borrowings.yes" : "borrowings.no");

  return (
    <>
      <Space className="bw-page-head" wrap>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate("/borrowings")}>
          {t("borrowings.back")}
        </Button>
        <Typography.Title level={3}>{b.number}</Typography.Title>
        <StatusTag borrowing={b} />
      </Space>
      {b.extension_hours !== null && (
        <Alert type="info" showIcon title={t("borrowings.awaitingExtension", { hours: b.extension_hours })} />
      )}
      <Row gutter={[16, 16]} className="bw-detail-body">
        <Col xs={24} lg={15}>
          <Card size="small">
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t("borrowings.field.customer")}>{b.customer_name}</Descriptions.Item>
              <Descriptions.Item label={t("borrowings.field.requester")}>{b.requester_name}</Descriptions.Item>
              <Descriptions.Item label={t("borrowings.field.purpose")} span={2}>
                {b.purpose}
              </Descriptions.Item>
              <Descriptions.Item label={t("borrowings.field.mode")}>{t(`borrowings.mode.${b.mode}`)}</Descriptions.Item>
              <Descriptions.Item label={t("borrowings.field.hours")}>
                {t("borrowings.hoursValue", { hours: b.hours })}
                {b.same_day && ` · ${t("borrowings.sameDay")}`}
              </Descriptions.Item>
              <Descriptions.Item label={t("borrowings.field.secrecy")}>
                {t(`secrecy.${b.secrecy}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t("borrowings.field.external")}>{yesNo(b.external)}</Descriptions.Item>
              <Descriptions.Item label={t("borrowings.field.created")}>{companyTime(b.created_at)}</Descriptions.Item>
              <Descriptions.Item label={t("borrowings.field.out")}>{companyTime(b.out_at)}</Descriptions.Item>
              <Descriptions.Item label={t("borrowings.field.due")}>
                <Typography.Text type={b.overdue ? "danger" : undefined}>
                  {companyTime(b.due_at)}
                  {b.overdue && ` · ${t("borrowings.overdue")}`}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t("borrowings.field.returned")}>{companyTime(b.returned_at)}</Descriptions.Item>
              {b.closed_reason && (
                <Descriptions.Item label={t("borrowings.field.closedReason")} span={2}>
                  {b.closed_reason}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <Card
            size="small"
            title={`${t("borrowings.field.scope")}: ${t(b.whole_file ? "borrowings.wholeFile" : "borrowings.chosen")}`}
            className="bw-detail-documents"
          >
            <Documents borrowing={b} actions={actions} />
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <Card size="small" title={t("borrowings.chain.title")}>
            <Chain borrowing={b} />
            <Actions borrowing={b} actions={actions} onChanged={setBorrowing} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
