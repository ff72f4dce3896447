import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client";
import { errorMessage } from "../i18n";
import { LanguageSwitch } from "../LanguageSwitch";
import { useSession } from "../session";

interface Credentials {
  username: string;
  password: string;
}

export function Login() {
  const { t } = useTranslation();
  const { signIn, expired } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: Credentials) {
    setBusy(true);
    setError(null);
    try {
      await signIn(values.username, values.password);
    } catch (refused) {
      // A wrong password and an unknown user answer alike (401): say so in the user's language.
      const wrong = refused instanceof ApiError && refused.status === 401;
      setError(wrong ? t("error.wrong_credentials") : errorMessage(refused));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <Card className="login-card">
        <div className="login-head">
          <Typography.Title level={2}>{t("app.name")}</Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t("app.tagline")}</Typography.Paragraph>
        {expired && <Alert type="info" showIcon title={t("login.expired")} />}
        {error && <Alert type="error" showIcon title={error} role="alert" />}
        <Form<Credentials> layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item label={t("login.username")} name="username" rules={[{ required: true }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label={t("login.password")} name="password" rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block>
            {t("login.submit")}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
