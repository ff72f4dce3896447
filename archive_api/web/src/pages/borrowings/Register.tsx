// For archivists: the borrowing register of a period as CSV or XLSX, and the incidents
// (originals marked missing) to follow up and resolve.
import { DownloadOutlined } from "@ant-design/icons";
import { Button, Card, DatePicker, Form, Radio, Select, Space, Switch, Table, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../../api/client";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { COMPANY_ZONE, companyTime } from "../../format";
import { usePaged } from "../../hooks";
import { numberColumn, StatusTag } from "./List";
import { registerPath, type Borrowing, type Incident } from "./logic";
import { ReasonModal } from "./ReasonModal";

/** The start of a company-time day as an ISO time with its offset. */
function dayStart(day: Dayjs): string {
  return dayjs.tz(day.format("YYYY-MM-DD"), COMPANY_ZONE).format();
}

function Export() {
  const { t } = useTranslation();
  // This month so far, by the company's calendar (the browser's may be a day apart).
  const [period, setPeriod] = useState<[Dayjs, Dayjs]>(() => {
    const today = dayjs().tz(COMPANY_ZONE);
    return [today.startOf("month"), today];
  });
  const [format, setFormat] = useState<"csv" | "xlsx">("csv");
  // The period runs to the end of its last day: the register's `until` is exclusive.
  const href = registerPath(dayStart(period[0]), dayStart(period[1].add(1, "day")), format);
  return (
    <Card size="small">
      <Form layout="inline">
        <Form.Item label={t("borrowings.registerPage.period")} htmlFor="register-period">
          <DatePicker.RangePicker
            id={{ start: "register-period" }}
            value={period}
            allowClear={false}
            onChange={(value) => value?.[0] && value[1] && setPeriod([value[0], value[1]])}
          />
        </Form.Item>
        <Form.Item label={t("borrowings.registerPage.format")}>
          <Radio.Group
            value={format}
            onChange={(event) => setFormat(event.target.value as "csv" | "xlsx")}
            options={[
              { value: "csv", label: "CSV" },
              { value: "xlsx", label: "XLSX" },
            ]}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" href={href} download icon={<DownloadOutlined />}>
            {t("borrowings.registerPage.export")}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

function Incidents() {
  const { t } = useTranslation();
  const [openOnly, setOpenOnly] = useState(true);
  const [resolving, setResolving] = useState<Incident | null>(null);
  const incidents = usePaged<Incident>("/incidents", { open_only: openOnly }, 10);
  const { busy, act } = useAct();
  const resolve = async (note?: string) => {
    if (!resolving) return;
    const done = await act(
      () => api.post<Incident>(`/incidents/${resolving.id}/resolve`, { reason: note }),
      t("borrowings.done.resolved"),
    );
    if (done) {
      setResolving(null);
      incidents.reload();
    }
  };
  const columns = [
    { title: t("borrowings.incident.kindLabel"), dataIndex: "kind", render: (k: string) => t(`borrowings.incident.kind.${k}`) },
    { title: t("borrowings.incident.customer"), dataIndex: "customer_name" },
    { title: t("borrowings.incident.document"), dataIndex: "document_title" },
    {
      title: t("borrowings.incident.borrowing"),
      dataIndex: "borrowing_number",
      render: (number: string | null, i: Incident) =>
        number && i.borrowing_id ? <Link to={`/borrowings/${i.borrowing_id}`}>{number}</Link> : "",
    },
    { title: t("borrowings.incident.reason"), dataIndex: "reason", ellipsis: true },
    { title: t("borrowings.incident.reportedBy"), dataIndex: "reported_by_name" },
    { title: t("borrowings.incident.created"), dataIndex: "created_at", render: (at: string) => companyTime(at) },
    {
      title: t("borrowings.incident.resolved"),
      key: "resolved",
      render: (_: unknown, i: Incident) =>
        i.resolved_at ? (
          <span>
            {companyTime(i.resolved_at)} · {i.resolution}
          </span>
        ) : (
          <Space>
            <Tag color="red">{t("borrowings.incident.open")}</Tag>
            <Button size="small" onClick={() => setResolving(i)}>
              {t("borrowings.action.resolve")}
            </Button>
          </Space>
        ),
    },
  ];
  return (
    <Card
      size="small"
      title={t("borrowings.registerPage.incidents")}
      extra={
        <Space>
          <label htmlFor="open-only">{t("borrowings.registerPage.openOnly")}</label>
          <Switch id="open-only" checked={openOnly} onChange={setOpenOnly} />
        </Space>
      }
      className="bw-incidents"
    >
      <Problem error={incidents.error} />
      <Table<Incident>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={incidents.data?.items ?? []}
        loading={incidents.loading}
        pagination={incidents.pagination}
      />
      <ReasonModal
        open={resolving !== null}
        title={t("borrowings.action.resolve")}
        ask="reason"
        busy={busy}
        onCancel={() => setResolving(null)}
        onSubmit={({ reason }) => void resolve(reason)}
      />
    </Card>
  );
}

const STATUSES = ["pending", "approved", "overdue", "returned", "rejected", "revoked"] as const;

function Lent() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | undefined>(undefined);
  const lent = usePaged<Borrowing>("/borrowings", { scope: "all", status }, 10);
  const columns = [
    numberColumn(t),
    { title: t("borrowings.column.requester"), dataIndex: "requester_name" },
    { title: t("borrowings.column.customer"), dataIndex: "customer_name" },
    { title: t("borrowings.column.mode"), dataIndex: "mode", render: (m: string) => t(`borrowings.mode.${m}`) },
    { title: t("borrowings.column.status"), key: "status", render: (_: unknown, b: Borrowing) => <StatusTag borrowing={b} /> },
    { title: t("borrowings.field.out"), dataIndex: "out_at", render: (at: string | null) => companyTime(at) },
    { title: t("borrowings.column.due"), dataIndex: "due_at", render: (at: string | null) => companyTime(at) },
    { title: t("borrowings.field.returned"), dataIndex: "returned_at", render: (at: string | null) => companyTime(at) },
  ];
  return (
    <Card
      size="small"
      title={t("borrowings.registerPage.lent")}
      extra={
        <Space>
          <label htmlFor="lent-status">{t("borrowings.column.status")}</label>
          <Select
            id="lent-status"
            allowClear
            className="bw-status-filter"
            value={status}
            onChange={setStatus}
            placeholder={t("borrowings.registerPage.anyStatus")}
            options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
        </Space>
      }
    >
      <Problem error={lent.error} />
      <Table<Borrowing>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={lent.data?.items ?? []}
        loading={lent.loading}
        pagination={lent.pagination}
      />
    </Card>
  );
}

export function Register() {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={3}>{t("borrowings.register")}</Typography.Title>
      <Space orientation="vertical" size="middle" className="bw-register">
        <Export />
        <Lent />
        <Incidents />
      </Space>
    </>
  );
}
