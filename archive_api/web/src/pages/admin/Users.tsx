// The users, a server page at a time: found by name, added (with a first role), and edited.
import { PlusOutlined } from "@ant-design/icons";
import { App, Button, Form, Input, Modal, Select, Space, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { companyTime } from "../../format";
import { usePaged } from "../../hooks";
import { clearanceOptions, departmentOrNone, roleOptions } from "./choices";
import { type Department, departmentOptions, useDepartments } from "./Departments";
import { UserEditor } from "./UserEditor";

export type User = Schemas["UserRead"];

interface NewUser {
  username: string;
  display_name: string;
  password: string;
  department_id?: string;
  clearance: string;
  email?: string;
  role?: string;
  role_department_id?: string;
}

export function Users() {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const users = usePaged<User>("/admin/users", { q: search.trim() });
  const departments = useDepartments();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const names = new Map((departments.data ?? []).map((d: Department) => [d.id, d.name]));
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        <Input.Search
          aria-label={t("admin.user.search")}
          placeholder={t("admin.user.search")}
          allowClear
          onSearch={setSearch}
          style={{ width: 280 }}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t("admin.user.create")}
        </Button>
      </Space>
      <Problem error={users.error} />
      <Table<User>
        rowKey="id"
        size="small"
        loading={users.loading}
        dataSource={users.data?.items ?? []}
        pagination={users.pagination}
        columns={[
          { title: t("admin.user.username"), dataIndex: "username" },
          { title: t("admin.user.displayName"), dataIndex: "display_name" },
          {
            title: t("admin.user.department"),
            key: "department",
            render: (_, u) => (u.department_id ? (names.get(u.department_id) ?? "") : ""),
          },
          { title: t("admin.user.clearance"), key: "clearance", render: (_, u) => t(`secrecy.${u.clearance}`) },
          {
            title: t("admin.user.status"),
            key: "status",
            render: (_, u) => (
              <Tag color={u.status === "active" ? "green" : "default"}>{t(`admin.userStatus.${u.status}`)}</Tag>
            ),
          },
          { title: t("admin.user.email"), dataIndex: "email" },
          { title: t("admin.user.createdAt"), key: "created", render: (_, u) => companyTime(u.created_at) },
          {
            title: "",
            key: "edit",
            render: (_, u) => (
              <Button size="small" onClick={() => setEditing(u)}>
                {t("admin.user.edit")}
              </Button>
            ),
          },
        ]}
      />
      {creating && (
        <NewUserForm
          departments={departments.data}
          onClose={(made) => {
            setCreating(false);
            if (made) users.reload();
          }}
        />
      )}
      {editing && (
        <UserEditor
          user={editing}
          departments={departments.data}
          onClose={(changed) => {
            setEditing(null);
            if (changed) users.reload();
          }}
        />
      )}
    </Space>
  );
}

function NewUserForm({ departments, onClose }: { departments: Department[] | null; onClose: (made: boolean) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<NewUser>();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [made, setMade] = useState<User | null>(null);
  const create = async (values: NewUser) => {
    setProblem(null);
    setBusy(true);
    const { role, role_department_id, ...fields } = values;
    const home = departmentOrNone(fields.department_id);
    try {
      // A second try after a refused role does not make the user twice.
      const user = made ?? (await api.post<User>("/admin/users", { ...fields, department_id: home, email: fields.email || null }));
      setMade(user);
      if (role) {
        const where = role_department_id === undefined ? home : departmentOrNone(role_department_id);
        await api.post("/admin/roles", { user_id: user.id, role, department_id: where });
      }
      void message.success(t("admin.user.created"));
      onClose(true);
    } catch (failed) {
      setProblem(failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t("admin.user.create")}
      okText={t("admin.user.create")}
      cancelText={t("admin.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={() => onClose(made !== null)}
      destroyOnHidden
    >
      <Problem error={problem} />
      <Form<NewUser>
        form={form}
        layout="vertical"
        initialValues={{ clearance: "internal" }}
        onFinish={(v) => void create(v)}
      >
        <Form.Item name="username" label={t("admin.user.username")} rules={[{ required: true, pattern: /^[A-Za-z0-9._-]{2,64}$/ }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="display_name" label={t("admin.user.displayName")} rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="password"
          label={t("admin.user.password")}
          tooltip={t("admin.user.passwordHint")}
          rules={[{ required: true, min: 12, message: t("admin.user.passwordHint") }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="department_id" label={t("admin.user.department")}>
          <Select allowClear options={departmentOptions(departments)} />
        </Form.Item>
        <Form.Item name="clearance" label={t("admin.user.clearance")}>
          <Select options={clearanceOptions(t)} />
        </Form.Item>
        <Form.Item name="email" label={t("admin.user.email")} rules={[{ type: "email" }]}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t("admin.user.firstRole")}>
          <Select allowClear options={roleOptions(t)} />
        </Form.Item>
        <Form.Item name="role_department_id" label={t("admin.user.firstRoleWhere")}>
          <Select allowClear options={departmentOptions(departments, t("admin.department.companyWide"))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
