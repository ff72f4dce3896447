// My account: who I am, my language, my password, my sign-ins (each can be ended) and my personal API
// tokens (made — shown once —, listed and revoked).
import { Card, Descriptions, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Route, Routes } from "react-router-dom";
import { LanguageSwitch } from "../../LanguageSwitch";
import { useSession } from "../../session";
import { Password } from "./Password";
import { Sessions } from "./Sessions";
import { Tokens } from "./Tokens";

function MyAccount() {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <Typography.Title level={3}>{t("account.title")}</Typography.Title>
      <Card title={t("account.profile.title")} size="small">
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t("account.profile.username")}>{me?.username}</Descriptions.Item>
          <Descriptions.Item label={t("account.profile.language")}>
            <LanguageSwitch />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Password />
      <Sessions />
      <Tokens />
    </Space>
  );
}

export default function Account() {
  return (
    <Routes>
      <Route index element={<MyAccount />} />
    </Routes>
  );
}
