// One rating's outcome: grade, scores, the credit limit and the allowed credit apart, terms,
// settlement and collateral, the dated order volume, the next review and the change from before.
import { Descriptions, Tag, Tooltip } from "antd";
import type { DescriptionsProps } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { formatAmount, formatPercent } from "./logic";

type Rating = Schemas["Rating"];
type Limit = Schemas["CreditLimit"];

interface Props {
  rating: Rating;
  /** The stored record, when `rating` is one: its day and who made it. */
  stored?: Schemas["RatingRead"];
  /** The stored rating's own next review has passed. */
  overdue?: boolean;
}

function terms(limit: Limit, t: TFunction): string {
  const days = limit.terms_days ?? limit.credit_period_days;
  if (days === limit.credit_period_days) return t("credit.profile.termsDays", { days });
  return t("credit.profile.termsCapped", { days, entered: limit.credit_period_days, cap: limit.max_credit_days });
}

export function RatingSummary({ rating, stored, overdue }: Props) {
  const { t } = useTranslation();
  const none = t("credit.profile.none");
  const limit = rating.credit_limit;
  const request = rating.request;
  const collateral = request.collateral;
  const change = rating.change;
  // The order volume is dated: the period it covers when given, else the rating it was entered
  // with (the stored one, or for a preview the latest stored rating it was carried over from).
  const amount = formatAmount(request.order_volume);
  const enteredOn = stored ? stored.rated_on : (request.previous?.rated_on ?? request.today);
  const orders = !request.order_volume
    ? none
    : request.order_volume_source === "erp"
      ? t("credit.profile.ordersFromErp", { amount, date: request.orders_through })
      : request.orders_through
        ? t("credit.profile.ordersAsOf", { amount, date: request.orders_through })
        : t("credit.profile.ordersEntered", { amount, date: enteredOn });
  const items: DescriptionsProps["items"] = [
    ...(stored
      ? [
          { key: "ratedOn", label: t("credit.profile.ratedOn"), children: stored.rated_on },
          { key: "ratedBy", label: t("credit.profile.ratedBy"), children: stored.rated_by_name },
        ]
      : []),
    {
      key: "grade",
      label: t("credit.profile.grade"),
      children: rating.grade ? <Tag color="geekblue" className="credit-grade">{rating.grade}</Tag> : t("credit.profile.ungraded"),
    },
    { key: "score", label: t("credit.profile.score"), children: rating.combined_score ?? none },
    { key: "quantitative", label: t("credit.profile.quantitative"), children: rating.quantitative_score ?? none },
    { key: "year", label: t("credit.profile.ratedYear"), children: rating.rated_year ?? none },
    {
      key: "limit",
      label: <Tooltip title={t("credit.profile.limitHint")}>{t("credit.profile.limit")}</Tooltip>,
      children: limit ? <span className="credit-money">{formatAmount(limit.limit)}</span> : none,
    },
    {
      key: "allowed",
      label: <Tooltip title={t("credit.profile.allowedHint")}>{t("credit.profile.allowed")}</Tooltip>,
      children:
        limit?.allowed != null ? (
          <>
            <span className="credit-money">{formatAmount(limit.allowed)}</span>
            {limit.warning_cut && (
              <Tag color="red" className="credit-cut">
                {t(limit.warning_cut.frozen ? "credit.profile.allowedFrozen" : "credit.profile.allowedCut", {
                  before: formatAmount(limit.warning_cut.allowed_before),
                  share: formatPercent(limit.warning_cut.share, 0),
                })}
              </Tag>
            )}
          </>
        ) : (
          none
        ),
    },
    {
      key: "coefficient",
      label: t("credit.profile.riskCoefficient"),
      children: limit?.risk_coefficient != null ? formatPercent(limit.risk_coefficient, 0) : none,
    },
    { key: "terms", label: t("credit.profile.terms"), children: limit ? terms(limit, t) : none },
    {
      key: "settlement",
      label: t("credit.profile.settlement"),
      children: limit?.settlement ? t(`credit.profile.settlementOf.${limit.settlement}`) : none,
    },
    {
      key: "collateral",
      label: t("credit.profile.collateral"),
      children: collateral ? `${collateral.description} · ${formatAmount(collateral.value)}` : none,
    },
    { key: "orders", label: t("credit.profile.orderVolume"), children: orders },
    {
      key: "review",
      label: stored ? t("credit.profile.nextReview") : t("credit.profile.previewReview"),
      children: (
        <>
          {rating.next_review_on ?? none}
          {overdue && <Tag color="red" className="credit-overdue">{t("credit.profile.overdue")}</Tag>}
        </>
      ),
    },
  ];
  if (change) {
    const direction = t(`credit.profile.changeOf.${change.direction}`);
    const text = t("credit.profile.changeFrom", {
      direction,
      before: formatAmount(change.previous.allowed_credit),
      after: formatAmount(change.allowed_credit),
      date: change.previous.rated_on,
    });
    items.push({
      key: "change",
      label: t("credit.profile.change"),
      span: "filled",
      children: change.override_reason ? `${text} · ${t("credit.profile.overrideReason", { reason: change.override_reason })}` : text,
    });
  }
  return <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} items={items} />;
}
