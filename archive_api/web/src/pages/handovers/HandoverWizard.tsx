// 发起交接: the department head names the leaving employee, the successor and the last day.
import { Button, Card, DatePicker, Descriptions, Form, Select, Space, Steps, Typography } from "antd";
import dayjs from "dayjs";
import type { Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api } from "../../api/client";
import type { Page } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { COMPANY_ZONE } from "../../format";
import { useFetch, withQuery } from "../../hooks";
import type { Handover, Person } from "./model";
import { personLabel } from "./model";

interface PickerProps {
  id: string;
  /** Whose successor is picked; undefined picks the employee who leaves. */
  employeeId?: string;
  value?: string;
  onChange?: (value: string) => void;
  onPicked: (person: Person | null) => void;
}

/** A person from the server's list of who may be named here, searched as typed. */
function PersonPicker({ id, employeeId, value, onChange, onPicked }: PickerProps) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const pause = window.setTimeout(() => setQuery(typed), 250); // one request per pause in typing
    return () => window.clearTimeout(pause);
  }, [typed]);
  const found = useFetch<Page<Person>>(
    withQuery("/handovers/people", { employee_id: employeeId, q: query, limit: 20 }),
  );
  const people = found.data?.items ?? [];
  return (
    <>
      <Select
        id={id}
        value={value}
        placeholder={t("handovers.wizard.searchPerson")}
        showSearch={{ filterOption: false, onSearch: setTyped }}
        loading={found.loading}
        notFoundContent={t("desk.empty")}
        options={people.map((p) => ({ value: p.id, label: personLabel(p) }))}
        onChange={(chosen: string) => {
          onChange?.(chosen);
          onPicked(people.find((p) => p.id === chosen) ?? null);
        }}
      />
      <Problem error={found.error} />
    </>
  );
}

interface Chosen {
  employee: Person | null;
  successor: Person | null;
}

export function HandoverWizard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { busy, act } = useAct();
  const [form] = Form.useForm();
  const [step, setStep] = useState(0);
  const [chosen, setChosen] = useState<Chosen>({ employee: null, successor: null });
  const plannedOn = Form.useWatch("planned_on", form) as Dayjs | undefined;

  // The form calls onFinish only when the fields shown are valid.
  const next = () => setStep(step + 1);

  const submit = async () => {
    const values = form.getFieldsValue(true) as {
      employee_id: string;
      successor_id: string;
      planned_on: Dayjs;
    };
    const created = await act(
      () =>
        api.post<Handover>("/handovers", {
          employee_id: values.employee_id,
          successor_id: values.successor_id,
          planned_on: values.planned_on.format("YYYY-MM-DD"),
        }),
      t("handovers.wizard.created"),
    );
    if (created) navigate(`/handovers/${created.id}`);
  };

  return (
    <Card title={t("handovers.wizard.title")} className="handover-wizard">
      <Steps
        current={step}
        className="handover-steps"
        items={[
          { title: t("handovers.wizard.stepEmployee") },
          { title: t("handovers.wizard.stepSuccessor") },
          { title: t("handovers.wizard.stepDate") },
        ]}
      />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ planned_on: dayjs().tz(COMPANY_ZONE) }}
        onFinish={() => (step < 2 ? next() : void submit())}
      >
        {step === 0 && (
          <Form.Item
            name="employee_id"
            label={t("handovers.employee")}
            htmlFor="handover-employee"
            extra={t("handovers.wizard.employeeHelp")}
            rules={[{ required: true, message: t("handovers.wizard.stepEmployee") }]}
          >
            <PersonPicker
              id="handover-employee"
              onPicked={(employee) => {
                setChosen({ employee, successor: null });
                form.setFieldValue("successor_id", undefined);
              }}
            />
          </Form.Item>
        )}
        {step === 1 && (
          <Form.Item
            name="successor_id"
            label={t("handovers.successor")}
            htmlFor="handover-successor"
            extra={t("handovers.wizard.successorHelp")}
            rules={[{ required: true, message: t("handovers.wizard.stepSuccessor") }]}
          >
            <PersonPicker
              id="handover-successor"
              employeeId={chosen.employee?.id}
              onPicked={(successor) => setChosen((was) => ({ ...was, successor }))}
            />
          </Form.Item>
        )}
        {step === 2 && (
          <>
            <Form.Item
              name="planned_on"
              label={t("handovers.plannedOn")}
              htmlFor="handover-date"
              rules={[{ required: true, message: t("handovers.wizard.stepDate") }]}
            >
              <DatePicker id="handover-date" allowClear={false} />
            </Form.Item>
            <Typography.Title level={5}>{t("handovers.wizard.summary")}</Typography.Title>
            <Descriptions
              bordered
              size="small"
              column={1}
              items={[
                { key: "e", label: t("handovers.employee"), children: chosen.employee && personLabel(chosen.employee) },
                { key: "s", label: t("handovers.successor"), children: chosen.successor && personLabel(chosen.successor) },
                { key: "d", label: t("handovers.plannedOn"), children: plannedOn?.format("YYYY-MM-DD") },
              ]}
            />
          </>
        )}
        <Space className="handover-wizard-buttons">
          {step > 0 && <Button onClick={() => setStep(step - 1)}>{t("handovers.wizard.previous")}</Button>}
          <Button type="primary" htmlType="submit" loading={busy}>
            {step < 2 ? t("handovers.wizard.next") : t("handovers.wizard.submit")}
          </Button>
          <Button onClick={() => navigate("/handovers")}>{t("handovers.back")}</Button>
        </Space>
      </Form>
    </Card>
  );
}
