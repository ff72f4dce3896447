// The company's departments: listed, and added by the administrator.
import { Button, Form, Input, Space, Table } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { useFetch } from "../../hooks";

export type Department = Schemas["DepartmentRead"];

/** Every department (a company has tens, not thousands: the API lists them whole). */
export function useDepartments() {
  return useFetch<Department[]>("/admin/departments");
}

/** The options of a department select, company-wide first when it is a choice. */
export function departmentOptions(departments: Department[] | null, companyWide?: string) {
  const listed = (departments ?? []).map((d) => ({ value: d.id, label: `${d.name} (${d.code})` }));
  return companyWide ? [{ value: "", label: companyWide }, ...listed] : listed;
}

export function Departments() {
  const { t } = useTranslation();
  const departments = useDepartments();
  const [form] = Form.useForm<Schemas["DepartmentCreate"]>();
  const { act, busy } = useAct();
  const create = async (values: Schemas["DepartmentCreate"]) => {
    const made = await act(() => api.post("/admin/departments", values), t("admin.department.created"));
    if (made) {
      form.resetFields();
      departments.reload();
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Form form={form} layout="inline" onFinish={(v) => void create(v)}>
        <Form.Item
          name="code"
          label={t("admin.department.code")}
          tooltip={t("admin.department.codeHint")}
          rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9-]{0,31}$/, message: t("admin.department.codeHint") }]}
        >
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="name" label={t("admin.department.name")} rules={[{ required: true, whitespace: true }]}>
          <Input style={{ width: 220 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t("admin.department.create")}
          </Button>
        </Form.Item>
      </Form>
      <Problem error={departments.error} />
      <Table<Department>
        rowKey="id"
        size="small"
        loading={departments.loading}
        dataSource={departments.data ?? []}
        pagination={false}
        columns={[
          { title: t("admin.department.code"), dataIndex: "code", width: 200 },
          { title: t("admin.department.name"), dataIndex: "name" },
        ]}
      />
    </Space>
  );
}
