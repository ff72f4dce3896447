// A customer's payment behaviour from the ERP's transactions: exposure, overdue ageing, the
// longest overdue, DSO, bad debts, and the warnings they raise (docs/payments.md).
import { Alert, Card, Descriptions, Empty, Space, Table, Tooltip } from "antd";
import type { DescriptionsProps } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { formatAmount } from "./logic";

type Behaviour = Schemas["PaymentBehaviour"];
type Bucket = Schemas["AgeingBucket"];

export function PaymentBehaviour({ payments, asOf }: { payments: Behaviour | null | undefined; asOf: string }) {
  const { t, i18n } = useTranslation();
  const title = t("credit.payments.title", { date: payments?.as_of ?? asOf });
  if (!payments) {
    return (
      <Card size="small" title={title} className="credit-payments">
        <Empty description={t("credit.payments.none")} />
      </Card>
    );
  }
  const days = (count: number) => t("credit.payments.days", { days: count });
  const items: DescriptionsProps["items"] = [
    { key: "exposure", label: t("credit.payments.exposure"), children: formatAmount(payments.exposure) },
    { key: "overdue", label: t("credit.payments.overdue"), children: formatAmount(payments.overdue) },
    { key: "longest", label: t("credit.payments.longest"), children: days(payments.longest_overdue_days) },
    {
      key: "dso",
      label: <Tooltip title={t("credit.payments.dsoHint")}>{t("credit.payments.dso")}</Tooltip>,
      children: payments.dso_days == null ? t("credit.payments.dsoNone") : days(Number(payments.dso_days)),
    },
    { key: "sales", label: t("credit.payments.sales"), children: formatAmount(payments.sales_90_days) },
    { key: "badDebts", label: t("credit.payments.badDebts"), children: formatAmount(payments.bad_debts_12_months) },
    { key: "transactions", label: t("credit.payments.transactions"), children: payments.transactions },
  ];
  const bucketName = (b: Bucket) =>
    b.to_days == null
      ? t("credit.payments.bucketOver", { from: b.from_days - 1 })
      : t("credit.payments.bucket", { from: b.from_days, to: b.to_days });
  const english = i18n.language === "en";
  return (
    <Card size="small" title={title} className="credit-payments">
      <Space orientation="vertical" className="credit-profile">
        {payments.warnings.map((w) => (
          <Alert key={w.code} type="warning" showIcon title={english ? w.message_en : w.message_zh} />
        ))}
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} items={items} />
        <Table<Bucket>
          size="small"
          pagination={false}
          rowKey="from_days"
          title={() => t("credit.payments.ageing")}
          dataSource={payments.ageing}
          columns={[
            { key: "bucket", title: t("credit.payments.ageing"), render: (_, b) => bucketName(b) },
            { key: "amount", title: t("credit.payments.amount"), align: "right", render: (_, b) => formatAmount(b.amount) },
          ]}
        />
      </Space>
    </Card>
  );
}
