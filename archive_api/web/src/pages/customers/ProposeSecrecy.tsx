// Proposing a secrecy level for a customer or one of its documents, with the reason (004 §5.1.5);
// a department head or the marketing director decides.
import { Form, Input, Modal, Select } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { useSession } from "../../session";
import type { Secrecy } from "./kinds";
import { proposable } from "./secrecy";

interface Props {
  /** The customer's or document's API path, e.g. `/documents/{id}`. */
  path: string;
  name: string;
  current: Secrecy;
  onClose: () => void;
}

export function ProposeSecrecy({ path, name, current, onClose }: Props) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { act, busy, problem } = useAct();
  const [form] = Form.useForm<{ secrecy: Secrecy; reason: string }>();
  const levels = proposable((me?.clearance ?? "public") as Secrecy, current);
  const submit = async (value: { secrecy: Secrecy; reason: string }) => {
    const body = { secrecy: value.secrecy, reason: value.reason.trim() };
    const done = await act(() => api.post(`${path}/secrecy-proposals`, body), t("customers.proposal.proposed"));
    if (done !== undefined) onClose();
  };
  return (
    <Modal
      open
      title={t("customers.proposal.proposeTitle", { name })}
      okText={t("customers.proposal.propose")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form form={form} layout="vertical" name="propose-secrecy" onFinish={(value) => void submit(value)}>
        <Form.Item label={t("customers.document.secrecy")}>{t(`secrecy.${current}`)}</Form.Item>
        <Form.Item
          name="secrecy"
          label={t("customers.proposal.level")}
          rules={[{ required: true, message: t("customers.proposal.reasonRequired") }]}
        >
          <Select options={levels.map((level) => ({ value: level, label: t(`secrecy.${level}`) }))} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("customers.proposal.reason")}
          rules={[{ required: true, whitespace: true, message: t("customers.proposal.reasonRequired") }]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
      <Problem error={problem} />
    </Modal>
  );
}
