// The extra allow and deny rules kept in the database: listed, added and deleted (never about
// oneself or a role one holds: the server refuses those, and says so).
import { Alert, Button, Form, Input, Popconfirm, Radio, Select, Space, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { RemoteSelect } from "../../components/RemoteSelect";
import { useAct } from "../../components/useAct";
import { useFetch } from "../../hooks";
import { departmentOrNone, objectOptions, roleOptions } from "./choices";
import { departmentOptions, useDepartments } from "./Departments";
import type { User } from "./Users";

type Rule = Schemas["PolicyRead"];

interface NewRule {
  kind: "role" | "user";
  role?: string;
  user?: string;
  department_id?: string;
  object: string;
  action: string;
  effect: "allow" | "deny";
}

const userOption = (u: User) => ({ value: u.id, label: `${u.display_name} (${u.username})` });

export function Policies() {
  const { t } = useTranslation();
  const rules = useFetch<Rule[]>("/admin/policies");
  const departments = useDepartments();
  const [form] = Form.useForm<NewRule>();
  const kind = Form.useWatch("kind", form);
  const { act, busy, problem } = useAct();
  const names = new Map((departments.data ?? []).map((d) => [d.id, d.name]));

  const change = async (run: () => Promise<unknown>, done: string) => {
    const result = await act(async () => (await run()) ?? true, done);
    if (result !== undefined) rules.reload();
    return result !== undefined;
  };

  const add = async (values: NewRule) => {
    const body = {
      subject: values.kind === "role" ? values.role : values.user,
      department_id: departmentOrNone(values.department_id),
      object: values.object,
      action: values.action.trim(),
      effect: values.effect,
    };
    if (await change(() => api.post("/admin/policies", body), t("admin.policy.added"))) form.resetFields();
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Alert type="info" showIcon title={t("admin.policy.note")} />
      <Form<NewRule>
        form={form}
        layout="inline"
        initialValues={{ kind: "role", effect: "deny", department_id: "" }}
        onFinish={(v) => void add(v)}
      >
        <Form.Item name="kind" label={t("admin.policy.subjectKind")}>
          <Radio.Group
            options={[
              { value: "role", label: t("admin.policy.byRole") },
              { value: "user", label: t("admin.policy.byUser") },
            ]}
          />
        </Form.Item>
        {kind === "user" ? (
          <Form.Item name="user" label={t("admin.policy.subject")} rules={[{ required: true }]} htmlFor="policy-user">
            <RemoteSelect<User> id="policy-user" path="/admin/users" toOption={userOption} />
          </Form.Item>
        ) : (
          <Form.Item name="role" label={t("admin.policy.subject")} rules={[{ required: true }]}>
            <Select options={roleOptions(t)} style={{ width: 150 }} />
          </Form.Item>
        )}
        <Form.Item name="department_id" label={t("admin.policy.where")}>
          <Select options={departmentOptions(departments.data, t("admin.department.companyWide"))} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="object" label={t("admin.policy.object")} rules={[{ required: true }]}>
          <Select options={objectOptions(t)} style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="action" label={t("admin.policy.action")} rules={[{ required: true, pattern: /^[a-z_]{1,32}$/ }]}>
          <Input style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="effect" label={t("admin.policy.effect")}>
          <Radio.Group
            options={[
              { value: "allow", label: t("admin.policy.allow") },
              { value: "deny", label: t("admin.policy.deny") },
            ]}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t("admin.policy.add")}
          </Button>
        </Form.Item>
      </Form>
      <Problem error={problem ?? rules.error} />
      <Table<Rule>
        rowKey="id"
        size="small"
        loading={rules.loading}
        dataSource={rules.data ?? []}
        pagination={false}
        locale={{ emptyText: t("admin.policy.none") }}
        columns={[
          {
            title: t("admin.policy.subject"),
            key: "subject",
            render: (_, r) => (isRole(r.subject) ? t(`role.${r.subject}`) : <SubjectUser id={r.subject} />),
          },
          {
            title: t("admin.policy.where"),
            key: "where",
            render: (_, r) => (r.department_id ? (names.get(r.department_id) ?? "") : t("admin.department.companyWide")),
          },
          { title: t("admin.policy.object"), key: "object", render: (_, r) => t(`admin.object.${r.object}`) },
          { title: t("admin.policy.action"), dataIndex: "action" },
          {
            title: t("admin.policy.effect"),
            key: "effect",
            render: (_, r) => <Tag color={r.effect === "deny" ? "red" : "green"}>{t(`admin.policy.${r.effect}`)}</Tag>,
          },
          {
            key: "delete",
            align: "right",
            render: (_, r) => (
              <Popconfirm
                title={t("admin.policy.deleteConfirm")}
                okText={t("admin.policy.delete")}
                cancelText={t("admin.cancel")}
                onConfirm={() => void change(() => api.delete(`/admin/policies/${r.id}`), t("admin.policy.deleted"))}
              >
                <Button size="small" danger>
                  {t("admin.policy.delete")}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Space>
  );
}

const isRole = (subject: string) => !/^[0-9a-f-]{36}$/i.test(subject);

// A rule about one user names them (a rule list is short: one look-up per such rule is fine).
function SubjectUser({ id }: { id: string }) {
  const { t } = useTranslation();
  const user = useFetch<User>(`/admin/users/${id}`).data;
  return <>{user ? `${user.display_name} (${user.username})` : t("admin.policy.unknownUser")}</>;
}
