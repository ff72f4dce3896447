// 法律保全: the legal holds of the file — in force first, then lifted ones as history (who, when,
// why) — set on the whole file or a contract, and lifted, each with a reason.
import { Button, Card, Empty, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { companyTime } from "../../format";
import type { Fetched } from "../../hooks";
import { ReasonModal } from "../borrowings/ReasonModal";
import { liftPath } from "./holds";
import type { Hold } from "./holds";

interface Props {
  customerId: string;
  holds: Fetched<Hold[]>;
  mayHold: boolean;
  contracts: string[];
  onChanged: () => void;
}

interface Setting {
  scope: "customer" | "contract";
  contract_no?: string;
  reason: string;
}

export function HoldScope({ hold }: { hold: Hold }) {
  const { t } = useTranslation();
  const what =
    hold.scope === "contract" ? hold.contract_no : hold.scope === "document" ? hold.document_title : null;
  return (
    <Space size={4} wrap>
      <Tag>{t(`customers.hold.scope.${hold.scope}`)}</Tag>
      {what && <span translate="no">{what}</span>}
    </Space>
  );
}

export function Holds({ customerId, holds, mayHold, contracts, onChanged }: Props) {
  const { t } = useTranslation();
  const { act, busy } = useAct();
  const [setting, setSetting] = useState(false);
  const [lifting, setLifting] = useState<Hold | null>(null);
  const [form] = Form.useForm<Setting>();
  const scope = Form.useWatch("scope", form);
  const put = async (value: Setting) => {
    const body = { ...value, reason: value.reason.trim(), contract_no: value.scope === "contract" ? value.contract_no : null };
    if (await act(() => api.post(`/customers/${customerId}/holds`, body), t("customers.hold.setDone"))) {
      setSetting(false);
      onChanged();
    }
  };
  const lift = async ({ reason }: { reason?: string }) => {
    if (!lifting) return;
    if (await act(() => api.post(liftPath(lifting), { reason }), t("customers.hold.liftDone"))) {
      setLifting(null);
      onChanged();
    }
  };
  const columns: ColumnsType<Hold> = [
    { title: t("customers.hold.what"), key: "what", render: (_, h) => <HoldScope hold={h} /> },
    { title: t("customers.hold.reason"), dataIndex: "reason" },
    {
      title: t("customers.hold.set"),
      key: "set",
      width: 170,
      render: (_, h) => `${h.set_by_name} ${companyTime(h.set_at)}`,
    },
    {
      title: t("customers.hold.state"),
      key: "state",
      render: (_, h) =>
        h.active ? (
          <Space wrap>
            <Tag color="red" className="hold-active">{t("customers.hold.active")}</Tag>
            {mayHold && (
              <Button size="small" className="hold-lift" onClick={() => setLifting(h)}>
                {t("customers.hold.lift")}
              </Button>
            )}
          </Space>
        ) : (
          <div className="hold-lifted">
            <Tag>{t("customers.hold.lifted")}</Tag>
            <Typography.Text type="secondary">
              {t("customers.hold.liftedBy", { who: h.lifted_by_name, when: companyTime(h.lifted_at) })}
            </Typography.Text>
            <div>{h.lift_reason}</div>
          </div>
        ),
    },
  ];
  const items = holds.data ?? [];
  return (
    <Card
      title={t("customers.hold.title")}
      size="small"
      className="legal-holds"
      extra={
        mayHold && (
          <Button
            size="small"
            danger
            className="hold-set"
            onClick={() => {
              form.resetFields();
              setSetting(true);
            }}
          >
            {t("customers.hold.put")}
          </Button>
        )
      }
    >
      <Problem error={holds.error} />
      {items.length === 0 && !holds.loading ? (
        <Empty description={t("customers.hold.none")} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Table<Hold> rowKey="id" size="small" columns={columns} dataSource={items} pagination={false} />
      )}
      <Modal
        open={setting}
        title={t("customers.hold.put")}
        okText={t("customers.hold.put")}
        cancelText={t("customers.lifecycle.cancel")}
        confirmLoading={busy}
        onCancel={() => setSetting(false)}
        onOk={() => form.submit()}
        // Kept mounted and emptied as it opens: a form mounted by the opening itself took its
        // first values after a quick first click, undoing the choice (seen in CI).
        forceRender
      >
        <Form form={form} name="hold" layout="vertical" initialValues={{ scope: "customer" }} onFinish={put}>
          <Form.Item name="scope" label={t("customers.hold.what")}>
            <Radio.Group
              options={[
                { value: "customer", label: t("customers.hold.scope.customer") },
                { value: "contract", label: t("customers.hold.scope.contract"), disabled: contracts.length === 0 },
              ]}
            />
          </Form.Item>
          {scope === "contract" && (
            <Form.Item
              name="contract_no"
              label={t("customers.hold.contract")}
              rules={[{ required: true, message: t("customers.master.required") }]}
            >
              <Select options={contracts.map((value) => ({ value, label: value }))} />
            </Form.Item>
          )}
          <Form.Item
            name="reason"
            label={t("customers.hold.reason")}
            rules={[{ required: true, whitespace: true, message: t("customers.hold.reasonRequired") }]}
          >
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
      <ReasonModal
        open={lifting !== null}
        title={t("customers.hold.lift")}
        ask="reason"
        name="hold-lift"
        busy={busy}
        onCancel={() => setLifting(null)}
        onSubmit={lift}
      />
    </Card>
  );
}
