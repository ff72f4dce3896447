// 合同管理台帐: the contracts the reader may see, filtered and paged by the server, with the
// half-yearly statistics to download for those who report them.
import { DownloadOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { Problem } from "../../components/Problem";
import { usePaged, withQuery } from "../../hooks";
import { useSession } from "../../session";
import { CURRENCIES, KINDS, MAKERS, REPORTERS, STATUSES, lastHalf, money } from "./words";
import type { Contract } from "./words";

interface Filters {
  q?: string;
  status?: string;
  kind?: string;
  currency?: string;
  signed_from?: string;
  signed_to?: string;
  amount_min?: number;
  amount_max?: number;
  customer_id?: string;
}

export function HandoverTags({ contract }: { contract: Contract }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {contract.handovers
        .filter((h) => h.done_on === null && h.due_on !== null)
        .map((h) => (
          <Tag key={h.step} color={h.overdue ? "error" : "default"}>
            {t(`contracts.step.${h.step}`)} {t("contracts.dueOn", { day: h.due_on })}
          </Tag>
        ))}
    </Space>
  );
}

function Statistics() {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState(lastHalf(new Date()));
  const years = Array.from({ length: 6 }, (_, i) => new Date().getFullYear() - i);
  return (
    <Card size="small" title={t("contracts.statistics.title")} className="contract-statistics">
      <Typography.Paragraph type="secondary">{t("contracts.statistics.intro")}</Typography.Paragraph>
      <Space wrap>
        <Select
          aria-label={t("contracts.statistics.year")}
          value={chosen.year}
          onChange={(year) => setChosen((was) => ({ ...was, year }))}
          options={years.map((year) => ({ value: year, label: String(year) }))}
        />
        <Select
          aria-label={t("contracts.statistics.title")}
          value={chosen.half}
          onChange={(half) => setChosen((was) => ({ ...was, half }))}
          options={([1, 2] as const).map((half) => ({ value: half, label: t(`contracts.statistics.half.${half}`) }))}
        />
        {(["xlsx", "pdf"] as const).map((format) => (
          <Button
            key={format}
            icon={<DownloadOutlined />}
            href={`/api/v1${withQuery("/contracts/statistics", { ...chosen, format })}`}
            download
          >
            {`${t("contracts.statistics.download")} ${format.toUpperCase()}`}
          </Button>
        ))}
      </Space>
    </Card>
  );
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The columns a list of contracts shows: the ledger with each one's customer, a file without. */
export function contractColumns(t: Translate, show: { customer: boolean }): ColumnsType<Contract> {
  return [
    {
      title: t("contracts.number"),
      dataIndex: "number",
      render: (number: string, c) => <Link to={`/contracts/${c.id}`} className="code">{number}</Link>,
    },
    ...(show.customer
      ? [{ title: t("contracts.customer"), render: (_: unknown, c: Contract) => <Link to={`/customers/${c.customer_id}`}>{c.customer_name}</Link> }]
      : [{ title: t("contracts.titleField"), dataIndex: "title" }]),
    ...(show.customer ? [{ title: t("contracts.counterparty"), dataIndex: "counterparty" }] : []),
    { title: t("contracts.kindField"), render: (_, c) => t(`contracts.kind.${c.kind}`) },
    { title: t("contracts.statusField"), render: (_, c) => <Tag>{t(`contracts.status.${c.status}`)}</Tag> },
    { title: t("contracts.signedOn"), render: (_, c) => c.signed_on ?? "—" },
    { title: t("contracts.amount"), className: "amount", render: (_, c) => money(c.amount, c.currency) },
    { title: t("contracts.handovers"), render: (_, c) => <HandoverTags contract={c} /> },
  ];
}

export function Ledger() {
  const { t } = useTranslation();
  const { holds } = useSession();
  const [params] = useSearchParams();
  const [filters, setFilters] = useState<Filters>({ customer_id: params.get("customer") ?? undefined });
  const ledger = usePaged<Contract>("/contracts", { ...filters }, 20);
  const day = (value: Dayjs | null) => (value ? value.format("YYYY-MM-DD") : undefined);
  const set = (part: Filters) => setFilters((was) => ({ ...was, ...part }));
  const columns = contractColumns(t, { customer: true });
  const anyOption = { value: "", label: t("contracts.filters.any") };
  return (
    <Space orientation="vertical" size={16} className="page contracts">
      <Space className="page-head" wrap>
        <Typography.Title level={3}>{t("contracts.title")}</Typography.Title>
        {holds(...MAKERS) && (
          <Link to={withQuery("/contracts/new", { customer: filters.customer_id })}>
            <Button type="primary" icon={<PlusOutlined />}>{t("contracts.new")}</Button>
          </Link>
        )}
      </Space>
      <Typography.Paragraph type="secondary">{t("contracts.intro")}</Typography.Paragraph>
      <Card size="small">
        <Form layout="inline" className="filters">
          <Form.Item label={t("contracts.filters.q")}>
            <Input.Search allowClear aria-label={t("contracts.filters.q")} onSearch={(q) => set({ q: q.trim() || undefined })} />
          </Form.Item>
          <Form.Item label={t("contracts.statusField")}>
            <Select
              className="filter-select"
              value={filters.status ?? ""}
              onChange={(status: string) => set({ status: status || undefined })}
              options={[anyOption, ...STATUSES.map((s) => ({ value: s, label: t(`contracts.status.${s}`) }))]}
            />
          </Form.Item>
          <Form.Item label={t("contracts.kindField")}>
            <Select
              className="filter-select"
              value={filters.kind ?? ""}
              onChange={(kind: string) => set({ kind: kind || undefined })}
              options={[anyOption, ...KINDS.map((k) => ({ value: k, label: t(`contracts.kind.${k}`) }))]}
            />
          </Form.Item>
          <Form.Item label={t("contracts.currency")}>
            <Select
              className="filter-select"
              value={filters.currency ?? ""}
              onChange={(currency: string) => set({ currency: currency || undefined })}
              options={[anyOption, ...CURRENCIES.map((c) => ({ value: c, label: c }))]}
            />
          </Form.Item>
          <Form.Item label={t("contracts.filters.from")}>
            <DatePicker onChange={(value) => set({ signed_from: day(value) })} />
          </Form.Item>
          <Form.Item label={t("contracts.filters.to")}>
            <DatePicker onChange={(value) => set({ signed_to: day(value) })} />
          </Form.Item>
          <Form.Item label={t("contracts.filters.min")}>
            <InputNumber min={0} onChange={(value) => set({ amount_min: value ?? undefined })} />
          </Form.Item>
          <Form.Item label={t("contracts.filters.max")}>
            <InputNumber min={0} onChange={(value) => set({ amount_max: value ?? undefined })} />
          </Form.Item>
        </Form>
      </Card>
      <Problem error={ledger.error} />
      <Table<Contract>
        rowKey="id"
        columns={columns}
        dataSource={ledger.data?.items ?? []}
        loading={ledger.loading}
        pagination={{ ...ledger.pagination, showTotal: (count) => t("contracts.total", { count }) }}
        locale={{ emptyText: t("contracts.empty") }}
      />
      {holds(...REPORTERS) && <Statistics />}
    </Space>
  );
}
