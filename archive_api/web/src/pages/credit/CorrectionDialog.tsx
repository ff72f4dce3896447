// Correcting one figure to what the page prints, with the reason (kept with who and when).
import { Form, Input, Modal, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useAct } from "../../components/useAct";
import { formatAmount, parseAmount, type Figure } from "./logic";

interface Props {
  url: string;
  figure: Figure;
  itemName: string;
  onClose: (changed: boolean) => void;
}

interface Entered {
  value: string;
  reason: string;
}

export function CorrectionDialog({ url, figure, itemName, onClose }: Props) {
  const { t } = useTranslation();
  const { act, busy } = useAct();
  const [form] = Form.useForm<Entered>();
  const period = t(`credit.period.${figure.period}`);

  const save = async (entered: Entered) => {
    const body = {
      code: figure.code,
      period: figure.period,
      value: parseAmount(entered.value ?? "") ?? null,
      reason: entered.reason.trim(),
    };
    const done = await act(() => api.patch(`${url}/figures`, body), t("credit.correction.done"));
    if (done) onClose(true);
  };

  return (
    <Modal
      open
      title={t("credit.correction.title", { item: itemName, period })}
      okText={t("credit.correction.save")}
      cancelText={t("credit.correction.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t("credit.correction.read")}:{" "}
        {figure.extracted === null ? t("credit.statement.blank") : formatAmount(figure.extracted)}
      </Typography.Paragraph>
      <Form<Entered>
        form={form}
        layout="vertical"
        initialValues={{ value: figure.value ?? "", reason: "" }}
        onFinish={(entered) => void save(entered)}
      >
        <Form.Item
          name="value"
          label={t("credit.correction.value")}
          extra={t("credit.correction.valueHint")}
          rules={[
            {
              validator: (_, value: string | undefined) =>
                parseAmount(value ?? "") === undefined
                  ? Promise.reject(new Error(t("credit.correction.valueInvalid")))
                  : Promise.resolve(),
            },
          ]}
        >
          <Input inputMode="decimal" autoFocus />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("credit.correction.reason")}
          rules={[{ required: true, whitespace: true, message: t("credit.correction.reasonRequired") }]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
