// Changing one's own password: the present one proves it is me; my other sign-ins end.
import { Button, Card, Form, Input } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useAct } from "../../components/useAct";

interface Fields {
  current_password: string;
  new_password: string;
  repeated: string;
}

// As the API requires (access/schemas.py Password).
const SHORTEST = 12;

export function Password() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Fields>();
  const { busy, act } = useAct();
  const change = async ({ current_password, new_password }: Fields) => {
    const done = await act(
      () => api.post("/auth/password", { current_password, new_password }).then(() => true),
      t("account.password.changed"),
    );
    if (done) form.resetFields();
  };
  return (
    <Card title={t("account.password.title")} size="small">
      <Form<Fields> form={form} layout="vertical" onFinish={change} className="account-password">
        <Form.Item
          name="current_password"
          label={t("account.password.current")}
          rules={[{ required: true, message: t("account.password.required") }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="new_password"
          label={t("account.password.new")}
          rules={[
            { required: true, message: t("account.password.required") },
            { min: SHORTEST, message: t("account.password.tooShort", { count: SHORTEST }) },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="repeated"
          label={t("account.password.repeat")}
          dependencies={["new_password"]}
          rules={[
            { required: true, message: t("account.password.required") },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue("new_password")
                  ? Promise.resolve()
                  : Promise.reject(new Error(t("account.password.mismatch"))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t("account.password.submit")}
        </Button>
      </Form>
    </Card>
  );
}
