// 变更记录: every change of the customer's master data and status, newest first — who, when,
// why, and each field before and after (account numbers only by their last four characters).
import { Card, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { companyTime } from "../../format";
import { usePaged } from "../../hooks";
import { useCategories } from "./MasterData";

type Change = Schemas["CustomerChangeRead"];

const LABELS: Record<string, string> = {
  name: "customers.master.name",
  category: "customers.master.category",
  industry: "customers.master.industry",
  registered_capital: "customers.master.capital",
  legal_representative: "customers.master.representative",
  address: "customers.master.address",
  business_scope: "customers.master.scope",
  founded_on: "customers.master.foundedOn",
  cooperation_since: "customers.master.cooperationSince",
  shareholders: "customers.master.shareholders",
  bank_references: "customers.master.banks",
  status: "customers.history.statusField",
  secrecy: "customers.file.secrecy",
  important: "customers.proposal.important",
};

/** How one field's value before or after a change reads. */
export function valueText(
  field: string,
  value: unknown,
  t: TFunction,
  categoryName: (code: string) => string | null,
): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
    return t("customers.history.cleared");
  if (field === "status") return t(`customers.status.${String(value)}`);
  if (field === "secrecy") return t(`secrecy.${String(value)}`);
  if (field === "important") return t(value ? "customers.proposal.important" : "customers.proposal.notImportant");
  if (field === "category") return categoryName(String(value)) ?? String(value);
  if (field === "registered_capital") {
    const { amount, currency } = value as { amount: string; currency: string };
    return `${amount} ${currency}`;
  }
  if (field === "shareholders")
    return (value as { name: string; share: string }[])
      .map((s) => `${s.name} ${t("customers.master.sharePercent", { share: s.share })}`)
      .join(t("customers.file.listSeparator"));
  if (field === "bank_references")
    return (value as { bank: string; account_name: string; account_no: string | null }[])
      .map((b) => [b.bank, b.account_name, b.account_no].filter(Boolean).join(" · "))
      .join(t("customers.file.listSeparator"));
  return String(value);
}

export function History({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const changes = usePaged<Change>(`/customers/${customerId}/history`, {}, 10);
  const named = (code: string) => categories.name(code);
  const columns: ColumnsType<Change> = [
    { title: t("customers.history.when"), dataIndex: "created_at", width: 150, render: (at: string) => companyTime(at) },
    { title: t("customers.history.who"), dataIndex: "changed_by_name", width: 110 },
    {
      title: t("customers.history.what"),
      key: "what",
      render: (_, change) => (
        <>
          <Tag>{t(`customers.history.kind.${change.kind}`)}</Tag>
          {change.changes.map((c) => (
            <div key={c.field} className="history-change" data-field={c.field}>
              <Typography.Text strong>{LABELS[c.field] ? t(LABELS[c.field]) : c.field}</Typography.Text>
              {": "}
              <Typography.Text delete={c.before !== null} type="secondary" translate="no" className="before">
                {valueText(c.field, c.before, t, named)}
              </Typography.Text>
              {" → "}
              <span translate="no" className="after">
                {valueText(c.field, c.after, t, named)}
              </span>
            </div>
          ))}
        </>
      ),
    },
    {
      title: t("customers.history.why"),
      dataIndex: "reason",
      width: 220,
      render: (reason: string | null) => reason ?? t("customers.history.fromLicense"),
    },
  ];
  return (
    <Card size="small" title={t("customers.history.title")} className="customer-history">
      <Problem error={changes.error} />
      <Table<Change>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={changes.data?.items ?? []}
        loading={changes.loading}
        pagination={changes.pagination}
        locale={{ emptyText: t("customers.history.empty") }}
      />
    </Card>
  );
}
