// Saving a rating: what the credit manager enters; figures come from confirmed statements.
import { Button, Card, DatePicker, Divider, Form, Input, InputNumber, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";

/** What is sent (the API's input shape) and what a stored rating gives back as entered. */
type RatingCreate = Schemas["RatingCreate-Input"];
type StoredEntry = Schemas["RatingCreate-Output"];

/** 000's qualitative factors, in the order the seed lists them. */
export const FACTORS = [
  "industry_position",
  "market_competitiveness",
  "cooperation_years",
  "management_reputation",
  "policy_support",
] as const;

interface Entered {
  factors: Record<(typeof FACTORS)[number], number>;
  order_volume?: number | null;
  orders_through?: Dayjs | null;
  credit_period_days: number;
  collateral_description?: string;
  collateral_value?: number | null;
  override_reason?: string;
}

interface Props {
  customerId: string;
  /** What the latest rating entered, offered again. */
  last: StoredEntry | null;
  onRated: () => void;
}

const asNumber = (value: string | number | null | undefined) =>
  value === null || value === undefined ? undefined : Number(value);

/** The request body: factors one by one, collateral only when both of its fields are given. */
export function ratingBody(entered: Entered): RatingCreate {
  const description = entered.collateral_description?.trim();
  const value = entered.collateral_value;
  return {
    qualitative_factors: FACTORS.map((factor) => ({ factor, score: String(entered.factors[factor]) })),
    order_volume: entered.order_volume == null ? null : String(entered.order_volume),
    orders_through: entered.orders_through ? entered.orders_through.format("YYYY-MM-DD") : null,
    credit_period_days: entered.credit_period_days,
    collateral: description && value != null ? { description, value: String(value) } : null,
    override_reason: entered.override_reason?.trim() || null,
  };
}

function initial(last: StoredEntry | null): Partial<Entered> {
  if (!last) return {};
  const scored = new Map((last.qualitative_factors ?? []).map((f) => [f.factor, Number(f.score)]));
  const total = asNumber(last.qualitative_score);
  return {
    factors: Object.fromEntries(FACTORS.map((f) => [f, scored.get(f) ?? total])) as Entered["factors"],
    order_volume: asNumber(last.order_volume),
    orders_through: last.orders_through ? dayjs(last.orders_through) : null,
    credit_period_days: last.credit_period_days,
    collateral_description: last.collateral?.description,
    collateral_value: asNumber(last.collateral?.value),
  };
}

export function RatingForm({ customerId, last, onRated }: Props) {
  const { t } = useTranslation();
  const { act, busy, problem } = useAct();
  const required = [{ required: true, message: t("credit.rating.required") }];
  const save = async (entered: Entered) => {
    const body = ratingBody(entered);
    const done = await act(() => api.post(`/customers/${customerId}/ratings`, body), t("credit.rating.done"));
    if (done) onRated();
  };
  return (
    <Card size="small" title={t("credit.rating.title")}>
      <Form<Entered> layout="inline" initialValues={initial(last)} onFinish={(entered) => void save(entered)}>
        <Typography.Paragraph type="secondary" className="credit-form-note">
          {t("credit.rating.factorsHint")}
        </Typography.Paragraph>
        {FACTORS.map((factor) => (
          <Form.Item key={factor} name={["factors", factor]} label={t(`credit.factor.${factor}`)} rules={required}>
            <InputNumber min={0} max={100} precision={0} />
          </Form.Item>
        ))}
        <Divider className="credit-form-divider" />
        <Form.Item name="order_volume" label={t("credit.rating.orderVolume")} extra={t("credit.rating.orderVolumeHint")}>
          <InputNumber min={0} max={1e12} precision={2} className="credit-amount" />
        </Form.Item>
        <Form.Item name="orders_through" label={t("credit.rating.ordersThrough")}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="credit_period_days" label={t("credit.rating.creditPeriod")} rules={required}>
          <InputNumber min={1} max={3650} precision={0} />
        </Form.Item>
        <Divider className="credit-form-divider" />
        <Form.Item name="collateral_description" label={t("credit.rating.collateralWhat")} tooltip={t("credit.rating.collateralHint")}>
          <Input maxLength={300} className="credit-collateral" />
        </Form.Item>
        <Form.Item name="collateral_value" label={t("credit.rating.collateralValue")}>
          <InputNumber min={0} max={1e12} precision={2} className="credit-amount" />
        </Form.Item>
        <Form.Item name="override_reason" label={t("credit.rating.overrideReason")} tooltip={t("credit.rating.overrideHint")}>
          <Input maxLength={500} className="credit-collateral" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t("credit.rating.save")}
          </Button>
        </Form.Item>
      </Form>
      <Problem error={problem} />
    </Card>
  );
}
