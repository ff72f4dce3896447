// My personal API tokens: made with a name and a lifetime, shown once with a copy button,
// listed a page at a time (never the token itself), revoked.
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { companyTime } from "../../format";
import { usePaged } from "../../hooks";
import { tokenState } from "./tokens";

type Token = Schemas["PersonalTokenRead"];
type Made = Schemas["PersonalTokenCreated"];

const STATE_COLOUR = { live: "green", revokedAt: "default", expired: "orange" } as const;

export function Tokens() {
  const { t } = useTranslation();
  const tokens = usePaged<Token>("/auth/tokens", {}, 10);
  const [form] = Form.useForm<{ name: string; expires_in_days: number }>();
  const { act, busy } = useAct();
  const [made, setMade] = useState<Made | null>(null);

  const create = async (values: { name: string; expires_in_days: number }) => {
    const token = await act(() => api.post<Made>("/auth/tokens", values));
    if (token) {
      setMade(token);
      form.resetFields();
      tokens.reload();
    }
  };
  const revoke = async (id: string) => {
    if ((await act(() => api.delete(`/auth/tokens/${id}`).then(() => true), t("account.tokens.revoked"))) !== undefined)
      tokens.reload();
  };

  return (
    <Card title={t("account.tokens.title")} size="small">
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Typography.Text type="secondary">{t("account.tokens.note")}</Typography.Text>
        <Form form={form} layout="inline" initialValues={{ expires_in_days: 90 }} onFinish={(v) => void create(v)}>
          <Form.Item name="name" label={t("account.tokens.name")} rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input placeholder={t("account.tokens.nameHint")} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="expires_in_days" label={t("account.tokens.days")} rules={[{ required: true }]}>
            <InputNumber min={1} max={365} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t("account.tokens.create")}
            </Button>
          </Form.Item>
        </Form>
        <Problem error={tokens.error} />
        <Table<Token>
          rowKey="id"
          size="small"
          loading={tokens.loading}
          dataSource={tokens.data?.items ?? []}
          pagination={tokens.pagination}
          locale={{ emptyText: t("account.tokens.none") }}
          columns={[
            { title: t("account.tokens.name"), dataIndex: "name" },
            { title: t("account.tokens.createdAt"), key: "created", render: (_, k) => companyTime(k.created_at) },
            { title: t("account.tokens.expiresAt"), key: "expires", render: (_, k) => companyTime(k.expires_at) },
            {
              title: t("account.tokens.state"),
              key: "state",
              render: (_, k) => {
                const state = tokenState(k);
                return <Tag color={STATE_COLOUR[state]}>{t(`account.tokens.${state}`)}</Tag>;
              },
            },
            {
              key: "revoke",
              align: "right",
              render: (_, k) =>
                tokenState(k) === "live" ? (
                  <Popconfirm
                    title={t("account.tokens.revokeConfirm")}
                    okText={t("account.tokens.revoke")}
                    cancelText={t("account.cancel")}
                    onConfirm={() => void revoke(k.id)}
                  >
                    <Button size="small" danger aria-label={`${t("account.tokens.revoke")} ${k.name ?? ""}`}>
                      {t("account.tokens.revoke")}
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Space>
      {made && (
        <Modal
          open
          title={t("account.tokens.made", { name: made.name ?? "" })}
          onCancel={() => setMade(null)}
          footer={
            <Button type="primary" onClick={() => setMade(null)}>
              {t("account.tokens.close")}
            </Button>
          }
        >
          <Alert type="warning" showIcon title={t("account.tokens.shownOnce")} style={{ marginBottom: 12 }} />
          <Typography.Paragraph
            className="new-token"
            copyable={{ text: made.token, tooltips: [t("account.tokens.copy"), t("account.tokens.copied")] }}
          >
            <Typography.Text code>{made.token}</Typography.Text>
          </Typography.Paragraph>
        </Modal>
      )}
    </Card>
  );
}
