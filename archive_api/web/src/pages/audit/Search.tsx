// The auditor's search of the log: filters, one server page of events at a time, each event's
// details on demand, and the signed bundle of what the filters choose.
import { DownloadOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { requestFile, saveFile } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { RemoteSelect, type RemoteOption } from "../../components/RemoteSelect";
import { useAct } from "../../components/useAct";
import { companyTime } from "../../format";
import { usePaged } from "../../hooks";
import { useActionName } from "./actionName";
import { zhActions } from "./actions";
import { EventDetails } from "./EventDetails";
import { type AuditFilters, eventQuery, exportRequest, UUID } from "./filters";

type Event = Schemas["EventRead"];
type Person = Schemas["PersonRead"];
type Customer = Schemas["CustomerRead"];

const OUTCOMES = ["success", "denied", "failed", "error"] as const;
const OUTCOME_COLOUR: Record<string, string> = { success: "green", denied: "red", failed: "orange", error: "orange" };

const personOption = (p: Person): RemoteOption => ({ value: p.id, label: `${p.display_name} (${p.username})` });
const customerOption = (c: Customer): RemoteOption => ({ value: c.id, label: c.name });

interface FormValues {
  actorId?: string | null;
  customerId?: string | null;
  documentId?: string;
  action?: string;
  outcome?: string;
  days?: [Dayjs, Dayjs] | null;
}

export function Search() {
  const { t } = useTranslation();
  const actionName = useActionName();
  const [form] = Form.useForm<FormValues>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [shown, setShown] = useState<Event | null>(null);
  const { act, busy } = useAct();
  const query = useMemo(() => eventQuery(filters), [filters]);
  const events = usePaged<Event>("/audit/events", query);

  const search = (values: FormValues) =>
    setFilters({ ...values, documentId: values.documentId?.trim() || null });

  const exportBundle = async () => {
    const body = exportRequest(filters);
    if (!body) return;
    await act(async () => {
      const file = await requestFile("POST", "/audit/exports", body);
      saveFile(file.blob, file.filename ?? "dangan-audit.zip");
    }, t("audit.export.done"));
  };

  const columns: ColumnsType<Event> = [
    { title: t("audit.column.position"), dataIndex: "position", width: 80 },
    {
      title: t("audit.column.at"),
      key: "at",
      width: 150,
      render: (_, e) => companyTime(typeof e.event?.at === "string" ? e.event.at : null),
    },
    {
      title: t("audit.column.actor"),
      key: "actor",
      render: (_, e) => e.actor_name ?? actorUsername(e) ?? t("audit.system"),
    },
    {
      title: t("audit.column.action"),
      key: "action",
      render: (_, e) => {
        const code = typeof e.event?.action === "string" ? e.event.action : "";
        return <span title={code}>{actionName(code)}</span>;
      },
    },
    {
      title: t("audit.column.outcome"),
      key: "outcome",
      width: 90,
      render: (_, e) => {
        const outcome = typeof e.event?.outcome === "string" ? e.event.outcome : "";
        return <Tag color={OUTCOME_COLOUR[outcome]}>{t(`audit.outcome.${outcome}`, { defaultValue: outcome })}</Tag>;
      },
    },
    { title: t("audit.column.customer"), key: "customer", render: (_, e) => e.customer_name ?? "" },
    {
      title: "",
      key: "details",
      width: 90,
      render: (_, e) => (
        <Button size="small" onClick={() => setShown(e)}>
          {t("audit.detail.show")}
        </Button>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Form<FormValues> form={form} layout="inline" onFinish={search} className="audit-filters">
        <Form.Item name="actorId" label={t("audit.filter.person")} htmlFor="audit-person">
          <RemoteSelect<Person>
            id="audit-person"
            path="/audit/people"
            toOption={personOption}
            placeholder={t("audit.filter.personHint")}
          />
        </Form.Item>
        <Form.Item name="customerId" label={t("audit.filter.customer")} htmlFor="audit-customer">
          <RemoteSelect<Customer>
            id="audit-customer"
            path="/customers"
            toOption={customerOption}
            placeholder={t("audit.filter.customerHint")}
          />
        </Form.Item>
        <Form.Item
          name="documentId"
          label={t("audit.filter.document")}
          rules={[{ pattern: UUID, message: t("audit.filter.documentInvalid") }]}
        >
          <Input allowClear placeholder={t("audit.filter.documentHint")} style={{ width: 300 }} />
        </Form.Item>
        <Form.Item name="action" label={t("audit.filter.action")}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            style={{ width: 200 }}
            options={Object.keys(zhActions).map((code) => ({ value: code, label: actionName(code) }))}
          />
        </Form.Item>
        <Form.Item name="outcome" label={t("audit.filter.outcome")}>
          <Select
            allowClear
            style={{ width: 110 }}
            options={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
          />
        </Form.Item>
        <Form.Item name="days" label={t("audit.filter.time")}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t("audit.filter.search")}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
              }}
            >
              {t("audit.filter.reset")}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      <Space wrap>
        <Button icon={<DownloadOutlined />} disabled={!filters.days} loading={busy} onClick={() => void exportBundle()}>
          {t("audit.export.button")}
        </Button>
        <Typography.Text type="secondary">
          {filters.days ? t("audit.export.note") : t("audit.export.needsTime")}
        </Typography.Text>
      </Space>
      <Problem error={events.error} />
      <Table<Event>
        rowKey="position"
        size="small"
        columns={columns}
        dataSource={events.data?.items ?? []}
        loading={events.loading}
        pagination={events.pagination}
      />
      {shown && <EventDetails event={shown} onClose={() => setShown(null)} />}
    </Space>
  );
}

function actorUsername(e: Event): string | null {
  const actor = e.event?.actor as { username?: unknown } | null | undefined;
  return actor && typeof actor.username === "string" ? actor.username : null;
}
