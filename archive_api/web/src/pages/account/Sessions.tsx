// My sign-ins still in force; ending one refuses its token from the next request on.
import { Button, Card, Popconfirm, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { companyTime } from "../../format";
import { useFetch } from "../../hooks";

type SignIn = Schemas["SignInRead"];

export function Sessions() {
  const { t } = useTranslation();
  // Only the sign-ins in force: a handful, listed whole by the API.
  const sessions = useFetch<SignIn[]>("/auth/sessions");
  const { act } = useAct();
  const end = async (id: string) => {
    if ((await act(() => api.delete(`/auth/sessions/${id}`).then(() => true), t("account.sessions.ended"))) !== undefined)
      sessions.reload();
  };
  return (
    <Card title={t("account.sessions.title")} size="small">
      <Problem error={sessions.error} />
      <Table<SignIn>
        rowKey="id"
        size="small"
        pagination={false}
        loading={sessions.loading}
        dataSource={sessions.data ?? []}
        columns={[
          {
            title: t("account.sessions.createdAt"),
            key: "created",
            render: (_, s) => (
              <>
                {companyTime(s.created_at)} {s.current && <Tag color="blue">{t("account.sessions.current")}</Tag>}
              </>
            ),
          },
          { title: t("account.sessions.expiresAt"), key: "expires", render: (_, s) => companyTime(s.expires_at) },
          { title: t("account.sessions.address"), dataIndex: "address" },
          {
            title: t("account.sessions.program"),
            dataIndex: "user_agent",
            // The program's own name, in full on hover: data, not words of the UI.
            ellipsis: { showTitle: false },
            render: (agent: string | null) => (
              <span translate="no" title={agent ?? undefined}>
                {agent}
              </span>
            ),
          },
          {
            key: "end",
            align: "right",
            render: (_, s) =>
              s.current ? null : (
                <Popconfirm
                  title={t("account.sessions.endConfirm")}
                  okText={t("account.sessions.end")}
                  cancelText={t("account.cancel")}
                  onConfirm={() => void end(s.id)}
                >
                  <Button size="small" danger>
                    {t("account.sessions.end")}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Card>
  );
}
