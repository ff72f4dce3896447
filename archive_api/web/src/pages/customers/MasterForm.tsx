// Changing a customer's master data: only what is changed is sent, always with a reason, and a
// refused value is marked beside its field.
import { App, AutoComplete, Button, DatePicker, Form, Input, Modal, Select, Space } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client";
import { Problem } from "../../components/Problem";
import { CURRENCIES, industryOptions } from "./kinds";
import { changesOf, fieldsNamed, formOf, textOf } from "./master";
import type { Detail, Typed } from "./master";
import type { Categories } from "./MasterData";

interface Props {
  customer: Detail;
  categories: Categories;
  onClose: () => void;
  onSaved: () => void;
}

// The form field a refusal's field stands for, where they differ.
const FORM_FIELD: Record<string, keyof Typed> = { registered_capital: "capital_amount" };

/** Props that keep a date as YYYY-MM-DD in the form while the picker shows it. */
const asDay = {
  getValueProps: (value: string | null | undefined) => ({ value: value ? dayjs(value) : null }),
  normalize: (picked: Dayjs | null) => (picked ? picked.format("YYYY-MM-DD") : null),
};
const notComing = (day: Dayjs) => day.isAfter(dayjs(), "day");

export function MasterForm({ customer, categories, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Typed>();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<unknown>(null);
  const required = { required: true, whitespace: true, message: t("customers.master.required") };
  const options = [...categories.options];
  if (customer.category && !options.some((o) => o.value === customer.category))
    options.push({ value: customer.category, label: customer.category });

  const save = async (typed: Typed) => {
    const changes = changesOf(customer, typed);
    if (Object.keys(changes).length === 0) {
      void message.info(t("customers.master.unchanged"));
      return;
    }
    setBusy(true);
    setRefusal(null);
    try {
      await api.patch(`/customers/${customer.id}`, { ...changes, reason: textOf(typed.reason) });
      void message.success(t("customers.master.done"));
      onSaved();
    } catch (failed) {
      setRefusal(failed);
      if (failed instanceof ApiError && failed.code === "invalid_field") {
        const named = fieldsNamed(failed.detail).map((f) => FORM_FIELD[f] ?? (f as keyof Typed));
        const shown = named.filter((f) => f in formOf(customer));
        form.setFields(shown.map((name) => ({ name, errors: [t("customers.master.notAccepted")] })));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={760}
      title={t("customers.master.edit")}
      okText={t("customers.master.save")}
      cancelText={t("customers.master.cancel")}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ className: "save-master" }}
      destroyOnHidden
    >
      <Form<Typed> form={form} name="master" layout="vertical" initialValues={formOf(customer)} onFinish={save}>
        <Form.Item name="name" label={t("customers.master.name")} rules={[required]}>
          <Input maxLength={200} />
        </Form.Item>
        <Space wrap className="master-row">
          <Form.Item name="category" label={t("customers.master.category")}>
            <Select allowClear options={options} className="master-choice" />
          </Form.Item>
          <Form.Item name="industry" label={t("customers.master.industry")}>
            <AutoComplete options={industryOptions} maxLength={64} className="master-choice" />
          </Form.Item>
          <Form.Item name="capital_amount" label={t("customers.master.capital")}>
            <Input inputMode="decimal" maxLength={24} className="master-amount" />
          </Form.Item>
          <Form.Item name="capital_currency" label={t("customers.master.currency")}>
            <AutoComplete options={CURRENCIES.map((value) => ({ value }))} maxLength={3} className="master-currency" />
          </Form.Item>
        </Space>
        <Space wrap className="master-row">
          <Form.Item name="legal_representative" label={t("customers.master.representative")}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="founded_on" label={t("customers.master.foundedOn")} {...asDay}>
            <DatePicker disabledDate={notComing} />
          </Form.Item>
          <Form.Item name="cooperation_since" label={t("customers.master.cooperationSince")} {...asDay}>
            <DatePicker disabledDate={notComing} />
          </Form.Item>
        </Space>
        <Form.Item name="address" label={t("customers.master.address")}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="business_scope" label={t("customers.master.scope")}>
          {/* Fixed rows: autoSize measures with a style attribute, which the CSP refuses. */}
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item label={t("customers.master.shareholders")}>
          <Form.List name="shareholders">
            {(rows, { add, remove }) => (
              <>
                {rows.map(({ key, name }) => (
                  <Space key={key} align="baseline" className="master-list-row">
                    <Form.Item name={[name, "name"]} rules={[required]}>
                      <Input placeholder={t("customers.master.shareholder")} aria-label={t("customers.master.shareholder")} maxLength={200} />
                    </Form.Item>
                    <Form.Item name={[name, "share"]} rules={[required]}>
                      <Input
                        placeholder={t("customers.master.share")}
                        aria-label={t("customers.master.share")}
                        inputMode="decimal"
                        className="master-share"
                      />
                    </Form.Item>
                    <Button onClick={() => remove(name)}>{t("customers.master.remove")}</Button>
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({})}>
                  {t("customers.master.addShareholder")}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item label={t("customers.master.banks")}>
          <Form.List name="bank_references">
            {(rows, { add, remove }) => (
              <>
                {rows.map(({ key, name }) => (
                  <Space key={key} align="baseline" wrap className="master-list-row">
                    <Form.Item name={[name, "bank"]} rules={[required]}>
                      <Input placeholder={t("customers.master.bank")} aria-label={t("customers.master.bank")} maxLength={100} />
                    </Form.Item>
                    <Form.Item name={[name, "account_name"]} rules={[required]}>
                      <Input placeholder={t("customers.master.accountName")} aria-label={t("customers.master.accountName")} maxLength={200} />
                    </Form.Item>
                    <Form.Item name={[name, "account_no"]}>
                      <Input
                        placeholder={t("customers.master.accountNo")}
                        aria-label={t("customers.master.accountNo")}
                        maxLength={40}
                        className="code"
                        autoComplete="off"
                      />
                    </Form.Item>
                    <Button onClick={() => remove(name)}>{t("customers.master.remove")}</Button>
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({})}>
                  {t("customers.master.addBank")}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("customers.master.reason")}
          rules={[{ ...required, message: t("customers.master.reasonRequired") }]}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Problem error={refusal} />
      </Form>
    </Modal>
  );
}
