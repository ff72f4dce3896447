// What a rating was made of: the qualitative factors with who scored them, and each indicator's
// value (shares in percent, as the seed's tables print them) against its reference values.
import { Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { formatRatio } from "./logic";

type Rating = Schemas["Rating"];
type ScoredFactor = Schemas["ScoredFactor"];
type IndicatorScore = Schemas["IndicatorScore"];

export function QualitativeFactors({ rating }: { rating: Rating }) {
  const { t } = useTranslation();
  const factors = rating.request.qualitative_factors;
  if (!factors) {
    return rating.request.qualitative_score != null ? (
      <Typography.Text type="secondary">{t("credit.profile.totalOnly")}</Typography.Text>
    ) : null;
  }
  return (
    <Table<ScoredFactor>
      rowKey="factor"
      size="small"
      pagination={false}
      className="credit-factors"
      dataSource={factors}
      title={() => t("credit.profile.factors")}
      columns={[
        { title: t("credit.profile.factor"), dataIndex: "factor", render: (f: string) => t(`credit.factor.${f}`) },
        { title: t("credit.profile.factorScore"), dataIndex: "score", align: "right" },
        { title: t("credit.profile.weight"), dataIndex: "weight", align: "right" },
        { title: t("credit.profile.scoredBy"), dataIndex: "scored_by_name" },
        { title: t("credit.profile.note"), dataIndex: "note", render: (n: string | null) => n ?? "" },
      ]}
    />
  );
}

export function IndicatorScores({ rating }: { rating: Rating }) {
  const { t } = useTranslation();
  const latest = rating.ratios.find((y) => y.year === rating.rated_year);
  const unit = (indicator: string) =>
    (latest?.ratios as Record<string, Schemas["Ratio"] | undefined> | undefined)?.[indicator]?.unit ?? "times";
  return (
    <Table<IndicatorScore>
      rowKey="indicator"
      size="small"
      pagination={false}
      className="credit-scores"
      dataSource={rating.scores}
      title={() => t("credit.profile.scores")}
      columns={[
        {
          title: t("credit.profile.indicatorName"),
          dataIndex: "indicator",
          render: (code: string) => t(`credit.indicator.${code}`, { defaultValue: code }),
        },
        {
          title: t("credit.profile.indicatorValue"),
          dataIndex: "value",
          align: "right",
          render: (v: string, s) => formatRatio(unit(s.indicator), v),
        },
        { title: t("credit.profile.high"), dataIndex: "high", align: "right", render: (v: string, s) => formatRatio(unit(s.indicator), v) },
        { title: t("credit.profile.low"), dataIndex: "low", align: "right", render: (v: string, s) => formatRatio(unit(s.indicator), v) },
        { title: t("credit.profile.points"), dataIndex: "score", align: "right" },
        { title: t("credit.profile.weight"), dataIndex: "weight", align: "right" },
      ]}
    />
  );
}
