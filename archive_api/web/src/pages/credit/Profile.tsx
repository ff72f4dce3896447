// The credit profile: ratios over the years, score, grade, limit, next review, warnings; rating.
import { Alert, Card, Col, Descriptions, Empty, Row, Space, Spin, Tag, Typography } from "antd";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch } from "../../hooks";
import { useSession } from "../../session";
import { formatAmount, ratioCharts } from "./logic";
import { RatingForm } from "./RatingForm";
import { RatingHistory } from "./RatingHistory";
import { RatioChart } from "./RatioChart";

type Rating = Schemas["Rating"];

const CHART_TITLE = { fraction: "chartShares", times: "chartTimes", yuan: "chartYuan" } as const;

export function Profile({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const { holds } = useSession();
  const profile = useFetch<Rating>(`/customers/${customerId}/credit-profile`);
  const history = useFetch<Schemas["RatingRead"][]>(`/customers/${customerId}/ratings`);
  const indicatorName = useCallback((code: string) => t(`credit.indicator.${code}`, { defaultValue: code }), [t]);
  const rated = () => {
    profile.reload();
    history.reload();
  };
  if (profile.error) return <Problem error={profile.error} />;
  if (!profile.data) return <Spin />;
  const p = profile.data;
  const charts = ratioCharts(p.ratios);
  const none = t("credit.profile.none");
  const english = i18n.language === "en";
  // A part of a year is never shown as a year: say which years' flows are short or unknown.
  const partYears = p.ratios.filter((y) => y.months != null);
  const unknownYears = p.ratios.filter((y) => y.period_unknown).map((y) => y.year);

  return (
    <Space orientation="vertical" size="large" className="credit-profile">
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          {
            key: "grade",
            label: t("credit.profile.grade"),
            children: p.grade ? (
              <Tag color="geekblue" className="credit-grade">{p.grade}</Tag>
            ) : (
              t("credit.profile.ungraded")
            ),
          },
          { key: "score", label: t("credit.profile.score"), children: p.combined_score ?? none },
          { key: "quantitative", label: t("credit.profile.quantitative"), children: p.quantitative_score ?? none },
          {
            key: "limit",
            label: t("credit.profile.limit"),
            children: p.credit_limit ? formatAmount(p.credit_limit.limit) : none,
          },
          {
            key: "allowed",
            label: t("credit.profile.allowed"),
            children: p.credit_limit?.allowed ? formatAmount(p.credit_limit.allowed) : none,
          },
          { key: "review", label: t("credit.profile.nextReview"), children: p.next_review_on ?? none },
          { key: "year", label: t("credit.profile.ratedYear"), children: p.rated_year ?? none },
        ]}
      />
      <Card size="small" title={t("credit.profile.warnings")}>
        {p.warnings.length === 0 ? (
          <Typography.Text type="secondary">{t("credit.profile.noWarnings")}</Typography.Text>
        ) : (
          <Space orientation="vertical">
            {p.warnings.map((w) => (
              <Alert key={w.code} type="warning" showIcon title={english ? w.message_en : w.message_zh} />
            ))}
          </Space>
        )}
      </Card>
      <Typography.Title level={4}>{t("credit.profile.ratios")}</Typography.Title>
      {partYears.map((y) => (
        <Alert key={y.year} type="info" showIcon title={t("credit.profile.partYear", { year: y.year, months: y.months })} />
      ))}
      {unknownYears.length > 0 && (
        <Alert type="warning" showIcon title={t("credit.profile.periodUnknown", { years: unknownYears.join(english ? ", " : "、") })} />
      )}
      {charts.length === 0 ? (
        <Empty description={t("credit.profile.noRatios")} />
      ) : (
        <Row gutter={[16, 16]}>
          {charts.map((chart) => {
            const title = t(`credit.profile.${CHART_TITLE[chart.kind]}`);
            return (
              <Col key={chart.kind} xs={24} xl={chart.kind === "fraction" ? 24 : 12}>
                <Card size="small" title={title}>
                  <RatioChart
                    chart={chart}
                    name={indicatorName}
                    label={t("credit.profile.chartLabel", { title })}
                  />
                </Card>
              </Col>
            );
          })}
        </Row>
      )}
      {holds("credit_manager") && <RatingForm customerId={customerId} last={p.request} onRated={rated} />}
      <RatingHistory history={history} />
    </Space>
  );
}
