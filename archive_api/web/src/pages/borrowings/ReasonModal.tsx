// A small dialog asking for a reason (or hours) before a change: reject, revoke, missing, extend.
import { Form, Input, InputNumber, Modal } from "antd";
import { useTranslation } from "react-i18next";

interface Props {
  open: boolean;
  title: string;
  /** "reason" asks for text (required unless optional), "hours" for a number up to `max`. */
  ask: "reason" | "hours";
  optional?: boolean;
  max?: number;
  busy: boolean;
  /** Names the form, so that its fields' ids stay unique beside other dialogs of the page. */
  name?: string;
  onCancel: () => void;
  onSubmit: (value: { reason?: string; hours?: number }) => void;
}

export function ReasonModal({ open, title, ask, optional, max, busy, name, onCancel, onSubmit }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason?: string; hours?: number }>();
  return (
    <Modal
      open={open}
      title={title}
      okText={title}
      cancelText={t("borrowings.action.cancel")}
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={() => form.submit()}
      destroyOnHidden
      forceRender
    >
      <Form
        form={form}
        name={name}
        layout="vertical"
        onFinish={(value) => onSubmit({ ...value, reason: value.reason?.trim() || undefined })}
      >
        {ask === "reason" ? (
          <Form.Item
            name="reason"
            label={t("borrowings.field.reason")}
            rules={optional ? [] : [{ required: true, whitespace: true, message: t("borrowings.form.required") }]}
          >
            <Input.TextArea rows={3} maxLength={500} autoFocus />
          </Form.Item>
        ) : (
          <Form.Item
            name="hours"
            label={t("borrowings.field.extension")}
            rules={[{ required: true, message: t("borrowings.form.required") }]}
            extra={t("borrowings.form.most", { hours: max })}
          >
            <InputNumber min={1} max={max} precision={0} autoFocus />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
