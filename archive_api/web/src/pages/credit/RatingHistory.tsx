// The customer's stored ratings, newest first.
import { Card, Table } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { companyTime } from "../../format";
import type { Fetched } from "../../hooks";
import { formatAmount } from "./logic";

type RatingRead = Schemas["RatingRead"];

export function RatingHistory({ history }: { history: Fetched<RatingRead[]> }) {
  const { t } = useTranslation();
  const none = t("credit.profile.none");
  return (
    <Card size="small" title={t("credit.rating.history")}>
      <Problem error={history.error} />
      <Table<RatingRead>
        rowKey="id"
        size="small"
        loading={history.loading}
        dataSource={history.data ?? []}
        locale={{ emptyText: t("credit.rating.noHistory") }}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          { title: t("credit.rating.at"), dataIndex: "created_at", render: (at: string) => companyTime(at) },
          { title: t("credit.rating.ratedBy"), dataIndex: "rated_by_name" },
          { title: t("credit.rating.grade"), dataIndex: "grade", render: (g: string | null) => g ?? none },
          { title: t("credit.rating.score"), dataIndex: "score", render: (s: string | null) => s ?? none },
          {
            title: t("credit.rating.limit"),
            dataIndex: "credit_limit",
            align: "right",
            render: (l: string | null) => (l ? formatAmount(l) : none),
          },
          {
            title: t("credit.rating.allowed"),
            dataIndex: "allowed_credit",
            align: "right",
            render: (l: string | null) => (l ? formatAmount(l) : none),
          },
          { title: t("credit.rating.nextReview"), dataIndex: "next_review_on", render: (d: string | null) => d ?? none },
        ]}
      />
    </Card>
  );
}
