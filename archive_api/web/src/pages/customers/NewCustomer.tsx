// Open a new customer file (一户一档): the credit code is checked as it is typed.
import { AutoComplete, Button, Card, Form, Input, Select, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch } from "../../hooks";
import { useSession } from "../../session";
import { useCategories } from "./MasterData";
import { industryOf, industryOptions } from "./kinds";
import { normalUscc, usccProblem } from "./uscc";

interface Typed {
  name: string;
  uscc: string;
  department_id?: string;
  category?: string | null;
  industry?: string;
}

export function NewCustomer() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { me } = useSession();
  const [form] = Form.useForm<Typed>();
  const [refusal, setRefusal] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const departments = useFetch<Schemas["DepartmentChoice"][]>("/customers/departments");
  const categories = useCategories();
  const open = (departments.data ?? []).filter((d) => d.may_open);
  const own = open.find((d) => d.id === me?.department_id)?.id ?? (open.length === 1 ? open[0].id : undefined);
  useEffect(() => {
    // The departments arrive after the form is shown: preselect one without touching the rest.
    if (own && !form.getFieldValue("department_id")) form.setFieldValue("department_id", own);
  }, [own, form]);

  const submit = async (typed: Typed) => {
    setBusy(true);
    setRefusal(null);
    try {
      const made = await api.post<Schemas["CustomerSummary"]>("/customers", {
        name: typed.name.trim(),
        uscc: normalUscc(typed.uscc),
        department_id: typed.department_id,
        category: typed.category ?? null,
        industry: industryOf(typed.industry),
      });
      navigate(`/customers/${made.id}`);
    } catch (failed) {
      setRefusal(failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="narrow-card" title={<Typography.Title level={3}>{t("customers.open.title")}</Typography.Title>}>
      <Form<Typed>
        form={form}
        layout="vertical"
        onFinish={submit}
      >
        <Form.Item
          name="name"
          label={t("customers.open.name")}
          rules={[{ required: true, whitespace: true, message: t("customers.open.nameRequired") }]}
        >
          <Input maxLength={200} autoFocus />
        </Form.Item>
        <Form.Item
          name="uscc"
          label={t("customers.open.uscc")}
          extra={t("customers.open.usccHelp")}
          validateTrigger="onChange"
          rules={[
            {
              validator: (_, value: string | undefined) => {
                const problem = usccProblem(value ?? "");
                if (!problem) return Promise.resolve();
                return Promise.reject(
                  new Error(t(`customers.uscc.${problem}`, { count: normalUscc(value ?? "").length })),
                );
              },
            },
          ]}
        >
          <Input maxLength={18} className="code" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="department_id"
          label={t("customers.open.department")}
          rules={[{ required: true, message: t("customers.open.departmentRequired") }]}
        >
          <Select options={open.map((d) => ({ value: d.id, label: d.name }))} loading={departments.loading} />
        </Form.Item>
        <Form.Item name="category" label={t("customers.open.category")}>
          <Select allowClear options={categories.options} loading={categories.loading} />
        </Form.Item>
        <Form.Item name="industry" label={t("customers.file.industry")} extra={t("customers.open.industryHelp")}>
          <AutoComplete options={industryOptions} maxLength={64} />
        </Form.Item>
        <Problem error={refusal ?? departments.error ?? categories.error} />
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} className="submit">
            {t("customers.open.submit")}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
