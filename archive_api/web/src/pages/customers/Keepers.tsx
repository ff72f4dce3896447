// Who keeps a customer file, as a list of them is narrowed: its department and its custodian
// (the customer search, the report of incomplete files).
import { Form, Select } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { useFetch } from "../../hooks";
import type { Fetched } from "../../hooks";

export interface Keepers {
  departments: Fetched<Schemas["DepartmentChoice"][]>;
  custodians: Fetched<Schemas["Person"][]>;
}

/** The departments and custodians of the customers the reader may see. */
export function useKeepers(): Keepers {
  return {
    departments: useFetch<Schemas["DepartmentChoice"][]>("/customers/departments"),
    custodians: useFetch<Schemas["Person"][]>("/customers/custodians"),
  };
}

interface Props {
  /** Prefix of the choices' ids, which their labels point at. */
  id: string;
  keepers: Keepers;
  chosen: { department_id?: string; custodian_id?: string };
  onChoose: (key: "department_id" | "custodian_id") => (value: string) => void;
}

/** The two choices, "all" first, as items of an inline form. */
export function KeeperFilters({ id, keepers, chosen, onChoose }: Props) {
  const { t } = useTranslation();
  const any = { value: "", label: t("customers.search.any") };
  return (
    <>
      <Form.Item label={t("customers.search.department")} htmlFor={`${id}-department`}>
        <Select
          id={`${id}-department`}
          className="choice"
          value={chosen.department_id ?? ""}
          onChange={onChoose("department_id")}
          options={[any, ...(keepers.departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))]}
        />
      </Form.Item>
      <Form.Item label={t("customers.search.custodian")} htmlFor={`${id}-custodian`}>
        <Select
          id={`${id}-custodian`}
          className="choice"
          showSearch={{ optionFilterProp: "label" }}
          value={chosen.custodian_id ?? ""}
          onChange={onChoose("custodian_id")}
          options={[any, ...(keepers.custodians.data ?? []).map((p) => ({ value: p.id, label: p.display_name }))]}
        />
      </Form.Item>
    </>
  );
}
