// 资料完整性: what the customer file must hold for its category and status, and what it lacks
// or holds only expired, as the server weighs it from the documents the reader may see.
import { Alert, Card, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch } from "../../hooks";
import { byUrgency, gapCounts, STATE_COLOURS } from "./upkeep";
import type { Item, State } from "./upkeep";

/** A document required, named with its fiscal year when one is required each year. */
export function ItemName({ item }: { item: Item }) {
  const { t } = useTranslation();
  const type = t(`customers.docType.${item.doc_type}`);
  return <>{item.year === null ? type : t("customers.completeness.withYear", { type, year: item.year })}</>;
}

export function StateTag({ state }: { state: State }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOURS[state]} className="completeness-state" data-state={state}>
      {t(`customers.completeness.states.${state}`)}
    </Tag>
  );
}

/** Until when a present item counts, when an expired one stopped, or when a year's was due. */
export function Until({ item }: { item: Item }) {
  const { t } = useTranslation();
  if (item.due_on) return <>{t("customers.completeness.dueOn", { day: item.due_on })}</>;
  if (item.state === "missing") return <>—</>;
  if (!item.expires_on) return <>{t("customers.completeness.forever")}</>;
  const key = item.state === "expired" ? "expiredOn" : "validUntil";
  return <>{t(`customers.completeness.${key}`, { day: item.expires_on })}</>;
}

/** The file's completeness, asked again whenever `round` moves on (after an upload or a change
 * of the record). */
export function Completeness({ customerId, round }: { customerId: string; round: number }) {
  const { t } = useTranslation();
  const found = useFetch<Schemas["Completeness"]>(`/customers/${customerId}/completeness`);
  const { reload } = found;
  useEffect(() => {
    if (round > 0) reload();
  }, [round, reload]);
  const data = found.data;
  const columns: ColumnsType<Item> = [
    { title: t("customers.completeness.item"), render: (_, item) => <ItemName item={item} /> },
    { title: t("customers.completeness.state"), render: (_, item) => <StateTag state={item.state} /> },
    { title: t("customers.completeness.until"), render: (_, item) => <Until item={item} /> },
  ];
  const counts = gapCounts(data?.items ?? []);
  const gaps = [
    counts.missing > 0 && t("customers.completeness.missingCount", { count: counts.missing }),
    counts.expired > 0 && t("customers.completeness.expiredCount", { count: counts.expired }),
  ]
    .filter(Boolean)
    .join(t("customers.completeness.separator"));
  return (
    <Card
      title={t("customers.completeness.title")}
      size="small"
      className="completeness"
      extra={data && t("customers.completeness.asOf", { day: data.as_of })}
      loading={found.loading && !data}
    >
      <Problem error={found.error} />
      {data && data.items.length === 0 && <Alert type="info" title={t("customers.completeness.nothingRequired")} />}
      {data && data.items.length > 0 && (
        <>
          <Alert
            className="completeness-summary"
            type={data.complete ? "success" : "warning"}
            showIcon
            title={data.complete ? t("customers.completeness.complete") : gaps}
          />
          <Table<Item>
            rowKey={(item) => `${item.doc_type}-${item.year ?? ""}`}
            size="small"
            columns={columns}
            dataSource={byUrgency(data.items)}
            pagination={false}
          />
        </>
      )}
    </Card>
  );
}
