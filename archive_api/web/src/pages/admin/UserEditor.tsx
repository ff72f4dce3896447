// One user as the administrator changes them: name, e-mail, clearance, status, a new password,
// and the roles they hold (granted and revoked one by one). Refusals — one's own powers, an
// administrator who would read content, a custodian who cannot be disabled — are shown.
import { Button, Divider, Drawer, Form, Input, Popconfirm, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { useFetch, withQuery } from "../../hooks";
import { changedFields, clearanceOptions, departmentOrNone, roleOptions, statusOptions } from "./choices";
import { type Department, departmentOptions } from "./Departments";
import type { User } from "./Users";

type Grant = Schemas["RoleRead"];

interface Changes {
  display_name: string;
  email?: string;
  clearance: string;
  status: string;
  password?: string;
}

interface Props {
  user: User;
  departments: Department[] | null;
  onClose: (changed: boolean) => void;
}

export function UserEditor({ user, departments, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Changes>();
  const [grantForm] = Form.useForm<{ role: string; department_id?: string }>();
  const { act, busy, problem } = useAct();
  const [changed, setChanged] = useState(false);
  const roles = useFetch<Grant[]>(withQuery("/admin/roles", { user_id: user.id }));
  const names = new Map((departments ?? []).map((d) => [d.id, d.name]));
  const before = { display_name: user.display_name, email: user.email ?? "", clearance: user.clearance, status: user.status };

  // Every change goes through here: a refusal is shown in the drawer as well as announced.
  const change = async (run: () => Promise<unknown>, done: string) => {
    const result = await act(async () => (await run()) ?? true, done);
    if (result !== undefined) setChanged(true);
    return result !== undefined;
  };

  const save = (values: Changes) =>
    void change(() => api.patch(`/admin/users/${user.id}`, changedFields(before, { ...values })), t("admin.user.saved"));

  const grant = async (values: { role: string; department_id?: string }) => {
    const body = { user_id: user.id, role: values.role, department_id: departmentOrNone(values.department_id) };
    if (await change(() => api.post("/admin/roles", body), t("admin.role.granted"))) {
      grantForm.resetFields();
      roles.reload();
    }
  };

  const revoke = async (rule: Grant) => {
    if (await change(() => api.delete(`/admin/roles/${rule.id}`), t("admin.role.revoked"))) roles.reload();
  };

  return (
    <Drawer open size={560} title={t("admin.user.editTitle", { name: user.display_name })} onClose={() => onClose(changed)}>
      <Problem error={problem} />
      <Form<Changes> form={form} layout="vertical" initialValues={before} onFinish={save}>
        <Form.Item label={t("admin.user.username")}>
          <Typography.Text>{user.username}</Typography.Text>
        </Form.Item>
        <Form.Item name="display_name" label={t("admin.user.displayName")} rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="email" label={t("admin.user.email")} rules={[{ type: "email" }]}>
          <Input />
        </Form.Item>
        <Space size="large">
          <Form.Item name="clearance" label={t("admin.user.clearance")}>
            <Select options={clearanceOptions(t)} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="status" label={t("admin.user.status")}>
            <Select options={statusOptions(t)} style={{ width: 160 }} />
          </Form.Item>
        </Space>
        <Form.Item
          name="password"
          label={t("admin.user.newPassword")}
          tooltip={t("admin.user.passwordHint")}
          rules={[{ min: 12, message: t("admin.user.passwordHint") }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t("admin.user.save")}
        </Button>
      </Form>
      <Divider />
      <Typography.Title level={5}>{t("admin.role.held")}</Typography.Title>
      <Problem error={roles.error} />
      <Table<Grant>
        rowKey="id"
        size="small"
        showHeader={false}
        pagination={false}
        loading={roles.loading}
        dataSource={roles.data ?? []}
        locale={{ emptyText: t("admin.role.none") }}
        columns={[
          { key: "role", render: (_, rule) => t(`role.${rule.role}`) },
          {
            key: "where",
            render: (_, rule) =>
              rule.department_id ? (names.get(rule.department_id) ?? "") : t("admin.department.companyWide"),
          },
          {
            key: "revoke",
            align: "right",
            render: (_, rule) => (
              <Popconfirm
                title={t("admin.role.revokeConfirm")}
                okText={t("admin.role.revoke")}
                cancelText={t("admin.cancel")}
                onConfirm={() => void revoke(rule)}
              >
                <Button size="small" danger>
                  {t("admin.role.revoke")}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Form form={grantForm} layout="inline" onFinish={(v) => void grant(v)} style={{ marginTop: 12 }}>
        <Form.Item name="role" label={t("admin.role.role")} rules={[{ required: true }]}>
          <Select options={roleOptions(t)} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="department_id" label={t("admin.role.where")} initialValue={user.department_id ?? ""}>
          <Select options={departmentOptions(departments, t("admin.department.companyWide"))} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" loading={busy}>
            {t("admin.role.grant")}
          </Button>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
