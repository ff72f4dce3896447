// The credit profile: the latest rating exactly as saved, apart a preview of one made today,
// the warnings as of today, the payment behaviour from the ERP, the ratios over the years, a new
// rating, the credit report and the history.
import { Alert, Card, Col, Empty, Row, Space, Spin, Typography } from "antd";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch } from "../../hooks";
import { useSession } from "../../session";
import { CreditReport } from "./CreditReport";
import { changedScores, ratioCharts } from "./logic";
import { PaymentBehaviour } from "./PaymentBehaviour";
import { AverageMargin, IndicatorScores, QualitativeFactors } from "./RatingDetails";
import { RatingForm } from "./RatingForm";
import { RatingHistory } from "./RatingHistory";
import { RatingMethod } from "./RatingMethod";
import { RatingSummary } from "./RatingSummary";
import { RatioChart } from "./RatioChart";

type CreditProfile = Schemas["CreditProfile"];

const CHART_TITLE = { fraction: "chartShares", times: "chartTimes", yuan: "chartYuan" } as const;

export function Profile({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const { holds } = useSession();
  const profile = useFetch<CreditProfile>(`/customers/${customerId}/credit-profile`);
  const history = useFetch<Schemas["RatingRead"][]>(`/customers/${customerId}/ratings`);
  const indicatorName = useCallback((code: string) => t(`credit.indicator.${code}`, { defaultValue: code }), [t]);
  const rated = () => {
    profile.reload();
    history.reload();
  };
  if (profile.error) return <Problem error={profile.error} />;
  if (!profile.data) return <Spin />;
  const { latest, preview: p, as_of: asOf, review_overdue: overdue } = profile.data;
  const charts = ratioCharts(p.ratios);
  const changed = changedScores(latest?.result, p);
  const english = i18n.language === "en";
  // A part of a year is never shown as a year: say which years' flows are short or unknown.
  const partYears = p.ratios.filter((y) => y.months != null);
  const unknownYears = p.ratios.filter((y) => y.period_unknown).map((y) => y.year);

  return (
    <Space orientation="vertical" size="large" className="credit-profile">
      <Card size="small" title={t("credit.profile.latest")} className="credit-latest">
        {latest ? (
          <Space orientation="vertical" className="credit-profile">
            <RatingSummary rating={latest.result} stored={latest} overdue={overdue} />
            <RatingMethod rating={latest.result} />
            <QualitativeFactors rating={latest.result} />
            <IndicatorScores rating={latest.result} />
            <AverageMargin rating={latest.result} />
          </Space>
        ) : (
          <Empty description={t("credit.profile.latestNone")} />
        )}
      </Card>
      <Card size="small" title={t("credit.profile.preview")} className="credit-preview">
        <Space orientation="vertical" className="credit-profile">
          <Alert
            type="info"
            showIcon
            title={latest ? t("credit.profile.previewHint", { date: asOf }) : t("credit.profile.previewNoInputs")}
          />
          <RatingSummary rating={p} />
          <RatingMethod rating={p} sameAs={latest?.result} />
          {p.average_margin?.shown !== latest?.result.average_margin?.shown && <AverageMargin rating={p} />}
          {changed.length > 0 ? (
            <IndicatorScores
              rating={p}
              scores={changed}
              title={latest ? t("credit.profile.scoresChanged", { count: changed.length }) : undefined}
            />
          ) : (
            latest && <Typography.Text type="secondary">{t("credit.profile.scoresSame")}</Typography.Text>
          )}
        </Space>
      </Card>
      <Card size="small" title={t("credit.profile.warningsToday", { date: asOf })}>
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
      <PaymentBehaviour payments={profile.data.payments} asOf={asOf} />
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
      {holds("credit_manager") && <RatingForm customerId={customerId} last={latest?.inputs ?? null} onRated={rated} />}
      {holds("credit_manager") && <CreditReport customerId={customerId} />}
      <RatingHistory history={history} />
    </Space>
  );
}
