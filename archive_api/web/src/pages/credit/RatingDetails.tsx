// What a rating was made of: the qualitative factors with who scored them, and each indicator's
// value (in percent where the seed's tables print percent) against its reference values, with
// the figures it was computed from and where each was read.
import { Table, Typography } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { formatAmount, formatShown, scoreInputs } from "./logic";
import { listed, scoreReason } from "./methodText";

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

/** Where a figure was read: statement, scope, fiscal year and column, page. */
export function FigureSourceText({ figure }: { figure: Schemas["FigureRef"] }) {
  const { t } = useTranslation();
  const source = figure.source;
  const item = t(`credit.item.${figure.code}`, { defaultValue: figure.code });
  const where = source
    ? t("credit.method.readFrom", {
        statement: t(`credit.type.${source.statement}`, { defaultValue: source.statement }),
        scope: t(`credit.scope.${source.scope}`, { defaultValue: source.scope }),
        year: source.report_year,
        column: t(`credit.period.${source.column}`),
        page: source.page,
      })
    : t("credit.method.sourceUnknown");
  return (
    <li>
      {t("credit.method.input", { item, year: figure.year, value: formatAmount(figure.value) })} · {where}
    </li>
  );
}

interface ScoresProps {
  rating: Rating;
  /** The rows to show, when not every score (a preview shows only what changed). */
  scores?: IndicatorScore[];
  title?: string;
}

export function IndicatorScores({ rating, scores, title }: ScoresProps) {
  const { t } = useTranslation();
  const shown = (value: string | null | undefined, s: IndicatorScore) => formatShown(s.shown_unit, value);
  return (
    <Table<IndicatorScore>
      rowKey="indicator"
      size="small"
      pagination={false}
      className="credit-scores"
      dataSource={scores ?? rating.scores}
      title={() => title ?? t("credit.profile.scores")}
      expandable={{
        expandedRowRender: (s) => (
          <ul className="credit-list credit-inputs">
            {scoreInputs(rating, s.indicator).map((f) => (
              <FigureSourceText key={`${f.code}-${f.year}`} figure={f} />
            ))}
          </ul>
        ),
        rowExpandable: (s) => scoreInputs(rating, s.indicator).length > 0,
      }}
      columns={[
        {
          title: t("credit.profile.indicatorName"),
          dataIndex: "indicator",
          render: (code: string) => t(`credit.indicator.${code}`, { defaultValue: code }),
        },
        {
          title: t("credit.profile.indicatorValue"),
          dataIndex: "value_shown",
          align: "right",
          render: (v: string | null, s) =>
            s.outcome === "value" ? shown(v, s) : <span title={scoreReason(s, t)}>{t(`credit.outcome.${s.outcome}`)}</span>,
        },
        { title: t("credit.profile.high"), dataIndex: "high_shown", align: "right", render: shown },
        { title: t("credit.profile.low"), dataIndex: "low_shown", align: "right", render: shown },
        { title: t("credit.profile.points"), dataIndex: "score", align: "right" },
        { title: t("credit.profile.weight"), dataIndex: "weight", align: "right" },
      ]}
    />
  );
}

type Margin = Schemas["AverageMargin"];

/** What a year lacks for the average margin, by what the rating holds of that year: a figure,
 * a revenue above zero (a shortfall of the indicator), or a whole year's statement. */
function marginShortfall(s: Schemas["Shortfall"], found: Margin, t: TFunction): string {
  const row = found.years.find((y) => y.year === s.year);
  if (!row || row.revenue == null || row.net_profit == null) return t("credit.margin.noYear", { year: s.year });
  if (s.kind === "indicator") return t("credit.margin.noRevenue", { year: s.year });
  return t("credit.margin.partYear", { year: s.year });
}

/** 近三年平均利润率 (000): shown beside the scores, not scored; what it lacks when it cannot be. */
export function AverageMargin({ rating }: { rating: Rating }) {
  const { t, i18n } = useTranslation();
  const found = rating.average_margin;
  if (!found) return null;
  const english = i18n.language === "en";
  const years = listed(
    found.years.map((y) => `${y.year} ${y.margin != null ? formatShown("%", Number(y.margin) * 100) : "—"}`),
    english,
  );
  const text =
    found.shown != null
      ? t("credit.margin.value", { value: formatShown("%", found.shown), years })
      : t("credit.margin.missing", {
          what: found.shortfalls.map((s) => marginShortfall(s, found, t)).join(english ? "; " : "；"),
        });
  return (
    <Typography.Text className="credit-margin" type={found.shown != null ? undefined : "warning"}>
      {t("credit.margin.title")}：{text} <Typography.Text type="secondary">{t("credit.margin.unscored")}</Typography.Text>
    </Typography.Text>
  );
}
