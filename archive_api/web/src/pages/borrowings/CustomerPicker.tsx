// Choosing the customer of a request by searching names and credit codes (GET /customers?q=).
import { Select, Spin } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { useFetch, withQuery } from "../../hooks";

type Customer = Schemas["CustomerRead"];

interface Props {
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
  /** The customer given in the address, shown by name before any search. */
  known: Customer | null;
  /** Whether that customer is still being read. */
  knownLoading?: boolean;
}

export function CustomerPicker({ id, value, onChange, known, knownLoading = false }: Props) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState("");
  const [query, setQuery] = useState("");
  // Ask the server once typing pauses, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const found = useFetch<{ items: Customer[] }>(query ? withQuery("/customers", { q: query, limit: 20 }) : null);
  const listed = [...(known ? [known] : []), ...(found.data?.items ?? [])];
  const options = listed
    .filter((c, index) => listed.findIndex((other) => other.id === c.id) === index)
    .map((c) => ({ value: c.id, label: <span translate="no">{`${c.name} · ${c.uscc}`}</span> }));
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      options={options}
      loading={found.loading}
      placeholder={t("borrowings.form.customerSearch")}
      showSearch={{ onSearch: setTyped, filterOption: false }}
      notFoundContent={null}
      // A customer not yet read (or not visible) is never shown by its raw id.
      labelRender={({ value: chosen, label }) =>
        options.some((o) => o.value === chosen) ? label : knownLoading ? <Spin size="small" /> : <span />
      }
    />
  );
}
