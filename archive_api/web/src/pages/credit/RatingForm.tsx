// Saving a rating: what the credit manager enters; figures come from confirmed statements.
import { Button, Card, Form, InputNumber } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { useAct } from "../../components/useAct";

interface Entered {
  qualitative_score: number;
  order_volume: number;
  credit_period_days: number;
}

interface Props {
  customerId: string;
  /** What the last rating used, offered again. */
  last: Schemas["RatingRequest"];
  onRated: () => void;
}

const asNumber = (value: string | number | null | undefined) =>
  value === null || value === undefined ? undefined : Number(value);

export function RatingForm({ customerId, last, onRated }: Props) {
  const { t } = useTranslation();
  const { act, busy } = useAct();
  const required = [{ required: true, message: t("credit.rating.required") }];
  const save = async (entered: Entered) => {
    const body = { ...entered, order_volume: String(entered.order_volume) };
    const done = await act(() => api.post(`/customers/${customerId}/ratings`, body), t("credit.rating.done"));
    if (done) onRated();
  };
  return (
    <Card size="small" title={t("credit.rating.title")}>
      <Form<Entered>
        layout="inline"
        initialValues={{
          qualitative_score: asNumber(last.qualitative_score),
          order_volume: asNumber(last.order_volume),
          credit_period_days: last.credit_period_days ?? undefined,
        }}
        onFinish={(entered) => void save(entered)}
      >
        <Form.Item
          name="qualitative_score"
          label={t("credit.rating.qualitative")}
          tooltip={t("credit.rating.qualitativeHint")}
          rules={required}
        >
          <InputNumber min={0} max={100} precision={0} />
        </Form.Item>
        <Form.Item name="order_volume" label={t("credit.rating.orderVolume")} rules={required}>
          <InputNumber min={0} max={1e12} precision={2} className="credit-amount" />
        </Form.Item>
        <Form.Item name="credit_period_days" label={t("credit.rating.creditPeriod")} rules={required}>
          <InputNumber min={1} max={3650} precision={0} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t("credit.rating.save")}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
