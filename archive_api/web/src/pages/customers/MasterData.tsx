// 基本信息: the customer's master data as recorded (registration, shareholders, banks), and the
// way to change it, with a reason, for those whose role may.
import { Button, Card, Descriptions, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { useFetch } from "../../hooks";
import type { Detail } from "./master";
import { MasterForm } from "./MasterForm";

type Category = Schemas["Category"];

/** The configured categories, with Select options named in the reader's language. */
export function useCategories() {
  const { i18n } = useTranslation();
  const fetched = useFetch<Category[]>("/customers/categories");
  const language = i18n.language === "en" ? "en" : "zh";
  const named = new Map((fetched.data ?? []).map((c) => [c.code, c.title[language]]));
  return {
    error: fetched.error,
    loading: fetched.loading,
    options: (fetched.data ?? []).map((c) => ({ value: c.code, label: c.title[language] })),
    /** A category's name; one no longer configured is shown as stored. */
    name: (code: string | null | undefined) => (code ? (named.get(code) ?? code) : null),
  };
}

export type Categories = ReturnType<typeof useCategories>;

interface Props {
  customer: Detail;
  mayEdit: boolean;
  onSaved: () => void;
}

export function MasterData({ customer: c, mayEdit, onSaved }: Props) {
  const { t } = useTranslation();
  const categories = useCategories();
  const [editing, setEditing] = useState(false);
  const none = <Typography.Text type="secondary">{t("customers.master.none")}</Typography.Text>;
  const shown = (value: string | null | undefined) => (value ? <span translate="no">{value}</span> : none);
  const capital = c.registered_capital;
  return (
    <Card
      size="small"
      className="master-data"
      title={t("customers.master.title")}
      extra={
        mayEdit && (
          <Button className="edit-master" onClick={() => setEditing(true)}>
            {t("customers.master.edit")}
          </Button>
        )
      }
    >
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: "category", label: t("customers.master.category"), children: shown(categories.name(c.category)) },
          {
            key: "industry",
            label: t("customers.master.industry"),
            children: c.industry ? (
              <span translate="no">{c.industry}</span>
            ) : (
              <Typography.Text type="warning">{t("customers.file.noIndustry")}</Typography.Text>
            ),
          },
          {
            key: "capital",
            label: t("customers.master.capital"),
            children: capital ? <span className="code">{`${capital.amount} ${capital.currency}`}</span> : none,
          },
          { key: "representative", label: t("customers.master.representative"), children: shown(c.legal_representative) },
          { key: "founded", label: t("customers.master.foundedOn"), children: shown(c.founded_on) },
          { key: "since", label: t("customers.master.cooperationSince"), children: shown(c.cooperation_since) },
          { key: "address", label: t("customers.master.address"), span: 2, children: shown(c.address) },
          { key: "scope", label: t("customers.master.scope"), span: 2, children: shown(c.business_scope) },
          {
            key: "shareholders",
            label: t("customers.master.shareholders"),
            span: 2,
            children: c.shareholders.length
              ? c.shareholders.map((s) => (
                  <div key={`${s.name}-${s.share}`} translate="no">
                    {s.name} {t("customers.master.sharePercent", { share: s.share })}
                  </div>
                ))
              : none,
          },
          {
            key: "banks",
            label: t("customers.master.banks"),
            span: 2,
            children: c.bank_references.length
              ? c.bank_references.map((b) => (
                  <div key={`${b.bank}-${b.account_no ?? ""}`} translate="no">
                    {b.bank} · {b.account_name}
                    {b.account_no && <span className="code"> · {b.account_no}</span>}
                  </div>
                ))
              : none,
          },
        ]}
      />
      {editing && (
        <MasterForm
          customer={c}
          categories={categories}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onSaved();
          }}
        />
      )}
    </Card>
  );
}
