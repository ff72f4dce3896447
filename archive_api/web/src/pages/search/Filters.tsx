// The filters of a search, each change a new address: type, secrecy, department, custodian,
// days of issue and amounts.
import { Button, Card, DatePicker, Form, InputNumber, Select, Space } from "antd";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { useFetch } from "../../hooks";
import { DOC_TYPES, SECRECY } from "../customers/kinds";
import { narrowed, type SearchState } from "./query";

interface Props {
  state: SearchState;
  onChange: (change: Partial<SearchState>) => void;
  onClear: () => void;
}

interface AmountProps {
  id: string;
  label: string;
  placeholder: string;
  value: string | null;
  onCommit: (value: string | null) => void;
}

/** An amount typed, committed when the field is left or Enter is pressed. */
function Amount({ id, label, placeholder, value, onCommit }: AmountProps) {
  const [typed, setTyped] = useState<string | null>(value);
  useEffect(() => {
    setTyped(value);
  }, [value]);
  const commit = () => {
    if ((typed ?? null) !== value) onCommit(typed);
  };
  return (
    <InputNumber<string>
      id={id}
      aria-label={label}
      placeholder={placeholder}
      className="search-amount"
      stringMode
      min="0"
      max="9999999999999999.99"
      precision={2}
      value={typed}
      onChange={(next) => setTyped(next === null || next === "" ? null : next)}
      onBlur={commit}
      onPressEnter={commit}
    />
  );
}

export function Filters({ state, onChange, onClear }: Props) {
  const { t } = useTranslation();
  const departments = useFetch<Schemas["DepartmentChoice"][]>("/customers/departments");
  const custodians = useFetch<Schemas["Person"][]>("/customers/custodians");
  const days: [dayjs.Dayjs | null, dayjs.Dayjs | null] = [
    state.issuedFrom ? dayjs(state.issuedFrom) : null,
    state.issuedTo ? dayjs(state.issuedTo) : null,
  ];
  return (
    <Card size="small">
      <Form layout="inline" className="search-filters">
        <Form.Item label={t("search.filter.docType")} htmlFor="search-type">
          <Select
            id="search-type"
            className="search-choice"
            allowClear
            placeholder={t("customers.search.any")}
            value={state.docType ?? undefined}
            onChange={(value) => onChange({ docType: value ?? null })}
            options={DOC_TYPES.map((type) => ({ value: type, label: t(`customers.docType.${type}`) }))}
          />
        </Form.Item>
        <Form.Item label={t("search.filter.secrecy")} htmlFor="search-secrecy">
          <Select
            id="search-secrecy"
            className="search-level"
            allowClear
            placeholder={t("customers.search.any")}
            value={state.secrecy ?? undefined}
            onChange={(value) => onChange({ secrecy: value ?? null })}
            options={SECRECY.map((level) => ({ value: level, label: t(`secrecy.${level}`) }))}
          />
        </Form.Item>
        <Form.Item label={t("search.filter.department")} htmlFor="search-department">
          <Select
            id="search-department"
            className="search-choice"
            allowClear
            placeholder={t("customers.search.any")}
            value={state.departmentId ?? undefined}
            onChange={(value: string | undefined) => onChange({ departmentId: value ?? null })}
            options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
        </Form.Item>
        <Form.Item label={t("search.filter.custodian")} htmlFor="search-custodian">
          <Select
            id="search-custodian"
            className="search-choice"
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            placeholder={t("customers.search.any")}
            value={state.custodianId ?? undefined}
            onChange={(value: string | undefined) => onChange({ custodianId: value ?? null })}
            options={(custodians.data ?? []).map((p) => ({ value: p.id, label: p.display_name }))}
          />
        </Form.Item>
        <Form.Item label={t("search.filter.issued")} htmlFor="search-issued">
          <DatePicker.RangePicker
            id={{ start: "search-issued" }}
            allowEmpty={[true, true]}
            value={days}
            onChange={(chosen) =>
              onChange({
                issuedFrom: chosen?.[0]?.format("YYYY-MM-DD") ?? null,
                issuedTo: chosen?.[1]?.format("YYYY-MM-DD") ?? null,
              })
            }
          />
        </Form.Item>
        <Form.Item label={t("search.filter.amount")} htmlFor="search-amount-min">
          <Space size={4}>
            <Amount
              id="search-amount-min"
              label={t("search.filter.amountMin")}
              placeholder={t("search.filter.lowest")}
              value={state.amountMin}
              onCommit={(v) => onChange({ amountMin: v })}
            />
            –
            <Amount
              id="search-amount-max"
              label={t("search.filter.amountMax")}
              placeholder={t("search.filter.highest")}
              value={state.amountMax}
              onCommit={(v) => onChange({ amountMax: v })}
            />
          </Space>
        </Form.Item>
        {narrowed(state) && (
          <Form.Item>
            <Button onClick={onClear}>{t("search.clearFilters")}</Button>
          </Form.Item>
        )}
      </Form>
    </Card>
  );
}
