// Confirming a statement: its figures count for ratings from then on; failing checks only on purpose.
import { Checkbox, Form, InputNumber, Modal, Select, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useAct } from "../../components/useAct";
import { namedChecks, type Statement } from "./logic";

interface Props {
  url: string;
  statement: Statement;
  onClose: (changed: boolean) => void;
}

interface Entered {
  fiscal_year?: number;
  months?: number;
  accept_failed_checks: boolean;
}

export function ConfirmDialog({ url, statement, onClose }: Props) {
  const { t } = useTranslation();
  const { act, busy } = useAct();
  const [form] = Form.useForm<Entered>();
  const failing = namedChecks(statement).some((c) => !c.ok);
  // A flow statement whose headings did not say how long its period is: the reviewer may.
  const lengthUnread = statement.type !== "balance_sheet" && statement.current_months === null;

  const save = async (entered: Entered) => {
    const done = await act(
      () => api.post(`${url}/confirm`, entered),
      t("credit.statement.confirmDone"),
    );
    if (done) onClose(true);
  };

  return (
    <Modal
      open
      title={t("credit.statement.confirmTitle")}
      okText={t("credit.statement.confirm")}
      cancelText={t("credit.correction.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Typography.Paragraph>{t("credit.statement.confirmHint")}</Typography.Paragraph>
      <Form<Entered>
        form={form}
        layout="vertical"
        initialValues={{ fiscal_year: statement.fiscal_year ?? undefined, accept_failed_checks: false }}
        onFinish={(entered) => void save(entered)}
      >
        {statement.fiscal_year === null && (
          <Form.Item
            name="fiscal_year"
            label={t("credit.statement.fiscalYear")}
            rules={[{ required: true, message: t("credit.rating.required") }]}
          >
            <InputNumber min={1900} max={2200} precision={0} />
          </Form.Item>
        )}
        {lengthUnread && (
          <Form.Item name="months" label={t("credit.statement.months")} extra={t("credit.statement.monthsHint")}>
            <Select
              allowClear
              options={[12, 9, 6, 3].map((months) => ({ value: months, label: t("credit.statement.monthsOption", { months }) }))}
            />
          </Form.Item>
        )}
        {failing && (
          <Form.Item name="accept_failed_checks" valuePropName="checked">
            <Checkbox>{t("credit.statement.acceptFailed")}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
