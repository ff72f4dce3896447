// A select whose options are searched on the server as the user types (people, customers):
// the lists are too long to load whole.
import { Select } from "antd";
import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Page } from "../api/types";
import { withQuery } from "../hooks";

export interface RemoteOption {
  value: string;
  label: string;
}

interface Props<T> {
  id?: string;
  /** A list answering `q`, `limit` and `offset` with a Page. */
  path: string;
  toOption: (item: T) => RemoteOption;
  value?: string | null;
  onChange?: (value: string | null) => void;
  placeholder?: string;
  "aria-label"?: string;
}

export function RemoteSelect<T>({ id, path, toOption, value, onChange, placeholder, ...rest }: Props<T>) {
  const [query, setQuery] = useState("");
  const [options, setOptions] = useState<RemoteOption[]>([]);
  const [loading, setLoading] = useState(false);
  // The chosen option stays named when a later search no longer lists it.
  const [chosen, setChosen] = useState<RemoteOption | null>(null);
  useEffect(() => {
    let current = true;
    // Wait for a pause in typing: one request per word, not per letter.
    const timer = setTimeout(() => {
      setLoading(true);
      api.get<Page<T>>(withQuery(path, { q: query.trim(), limit: 20 })).then(
        (page) => {
          if (!current) return;
          setOptions(page.items.map(toOption));
          setLoading(false);
        },
        () => {
          if (current) setLoading(false);
        },
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [path, query, toOption]);
  return (
    <Select
      id={id}
      aria-label={rest["aria-label"]}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      allowClear
      loading={loading}
      value={value ?? undefined}
      onChange={(picked: string | undefined) => {
        setChosen(options.find((option) => option.value === picked) ?? null);
        onChange?.(picked ?? null);
      }}
      options={
        chosen && chosen.value === value && !options.some((o) => o.value === chosen.value)
          ? [chosen, ...options]
          : options
      }
      placeholder={placeholder}
      style={{ minWidth: 200 }}
    />
  );
}
