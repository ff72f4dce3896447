// The fields of a contract's record, for registering one and for changing one with a reason.
import { DatePicker, Form, Input, InputNumber, Select } from "antd";
import type { FormInstance } from "antd";
import type { Dayjs } from "dayjs";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { CURRENCIES, KINDS, STATUSES } from "./words";
import type { Contract, Kind, Status } from "./words";

export interface Typed {
  title: string;
  counterparty: string;
  kind?: Kind;
  status: Status;
  amount?: number | null;
  currency: string;
  signed_on?: Dayjs | null;
  term_start?: Dayjs | null;
  term_end?: Dayjs | null;
  handed_to_credit_on?: Dayjs | null;
  handed_to_archive_on?: Dayjs | null;
  amends_id?: string;
  reason?: string;
}

const DAYS = ["signed_on", "term_start", "term_end", "handed_to_credit_on", "handed_to_archive_on"] as const;

/** The typed values as the API takes them: days as ISO dates, the amount as a decimal string. */
export function body(typed: Typed): Record<string, unknown> {
  const sent: Record<string, unknown> = { ...typed };
  for (const day of DAYS) if (day in typed) sent[day] = typed[day] ? typed[day].format("YYYY-MM-DD") : null;
  if ("amount" in typed) sent.amount = typed.amount === null || typed.amount === undefined ? null : typed.amount.toFixed(2);
  if (typed.reason !== undefined) sent.reason = typed.reason.trim();
  return sent;
}

/** A stored contract as the form's starting values. */
export function typedOf(contract: Contract): Typed {
  const day = (value: string | null) => (value ? dayjs(value) : null);
  return {
    title: contract.title,
    counterparty: contract.counterparty,
    status: contract.status,
    amount: contract.amount === null ? null : Number(contract.amount),
    currency: contract.currency,
    signed_on: day(contract.signed_on),
    term_start: day(contract.term_start),
    term_end: day(contract.term_end),
    handed_to_credit_on: day(contract.handed_to_credit_on),
    handed_to_archive_on: day(contract.handed_to_archive_on),
  };
}

export function ContractFields({ form, editing, others }: {
  form: FormInstance<Typed>;
  editing: boolean;
  others: Contract[];
}) {
  const { t } = useTranslation();
  const kind = Form.useWatch("kind", form);
  const required = [{ required: true, whitespace: true, message: t("contracts.required") }];
  return (
    <>
      <Form.Item name="title" label={t("contracts.titleField")} rules={required}>
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item name="counterparty" label={t("contracts.counterparty")} rules={required}>
        <Input maxLength={200} />
      </Form.Item>
      {!editing && (
        <Form.Item name="kind" label={t("contracts.kindField")}>
          <Select options={KINDS.map((k) => ({ value: k, label: t(`contracts.kind.${k}`) }))} />
        </Form.Item>
      )}
      {!editing && (kind === "amendment" || kind === "termination") && (
        <Form.Item name="amends_id" label={t("contracts.amends")} rules={[{ required: true, message: t("contracts.required") }]}>
          <Select options={others.map((c) => ({ value: c.id, label: `${c.number} ${c.title}` }))} />
        </Form.Item>
      )}
      <Form.Item name="status" label={t("contracts.statusField")}>
        <Select options={STATUSES.map((s) => ({ value: s, label: t(`contracts.status.${s}`) }))} />
      </Form.Item>
      <Form.Item name="signed_on" label={t("contracts.signedOn")}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="amount" label={t("contracts.amount")}>
        <InputNumber min={0} precision={2} stringMode={false} />
      </Form.Item>
      <Form.Item name="currency" label={t("contracts.currency")}>
        <Select options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
      </Form.Item>
      <Form.Item name="term_start" label={t("contracts.termStart")}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="term_end" label={t("contracts.termEnd")}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="handed_to_credit_on" label={t("contracts.handedToCredit")}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="handed_to_archive_on" label={t("contracts.handedToArchive")}>
        <DatePicker />
      </Form.Item>
      {editing && (
        <Form.Item name="reason" label={t("contracts.reason")} rules={[{ required: true, whitespace: true, message: t("contracts.reasonRequired") }]}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      )}
    </>
  );
}
