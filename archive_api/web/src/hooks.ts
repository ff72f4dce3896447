// Reading from the API in a component: one GET, or one server-paginated list.
import { useCallback, useEffect, useState } from "react";
import { api } from "./api/client";
import type { Page } from "./api/types";

export interface Fetched<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** The answer of a GET to `path` (none while `path` is null), refetched by `reload`. */
export function useFetch<T>(path: string | null): Fetched<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setLoading(true);
    api.get<T>(path).then(
      (found) => {
        if (!current) return;
        setData(found);
        setError(null);
        setLoading(false);
      },
      (failed: unknown) => {
        if (!current) return;
        setError(failed);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [path, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}

/** `path` with the query parameters that have a value. */
export function withQuery(path: string, query: Record<string, string | number | boolean | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes("?") ? "&" : "?"}${text}` : path;
}

export interface Paged<T> extends Fetched<Page<T>> {
  /** Props for an antd Table: the server gives one page at a time. */
  pagination: {
    current: number;
    pageSize: number;
    total: number;
    showSizeChanger: boolean;
    onChange: (page: number, pageSize: number) => void;
  };
}

/** One page of a list the API paginates with limit and offset; a new filter starts at page 1. */
export function usePaged<T>(
  path: string,
  filters: Record<string, string | number | boolean | null | undefined> = {},
  initialSize = 20,
): Paged<T> {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialSize);
  const filterKey = withQuery("", filters);
  useEffect(() => setPage(1), [filterKey]);
  const fetched = useFetch<Page<T>>(
    withQuery(path, { ...filters, limit: pageSize, offset: (page - 1) * pageSize }),
  );
  return {
    ...fetched,
    pagination: {
      current: page,
      pageSize,
      total: fetched.data?.total ?? 0,
      showSizeChanger: true,
      onChange: (next, size) => {
        setPage(size === pageSize ? next : 1);
        setPageSize(size);
      },
    },
  };
}
