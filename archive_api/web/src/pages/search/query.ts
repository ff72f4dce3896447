// What a search asks, as the page's address says it: an address can be shared, and the
// browser's Back undoes the last change. Anything malformed in an address (typed or cut short
// by hand) is left out rather than sent; the words are sent as typed, for the server to judge.
import { DOC_TYPES, SECRECY, type DocType, type Secrecy } from "../customers/kinds";

export type Sort = "relevance" | "date";

export const PAGE_SIZES = [10, 20, 50, 100];
const DEFAULT_SIZE = 20;

export interface SearchState {
  q: string;
  docType: DocType | null;
  secrecy: Secrecy | null;
  departmentId: string | null;
  custodianId: string | null;
  /** Days of issue, YYYY-MM-DD, both included. */
  issuedFrom: string | null;
  issuedTo: string | null;
  /** Yuan, as decimal text. */
  amountMin: string | null;
  amountMax: string | null;
  /** Of issue, else of upload: as the by-year counts have it. */
  year: number | null;
  sort: Sort;
  page: number;
  size: number;
}

export const EMPTY: SearchState = {
  q: "",
  docType: null,
  secrecy: null,
  departmentId: null,
  custodianId: null,
  issuedFrom: null,
  issuedTo: null,
  amountMin: null,
  amountMax: null,
  year: null,
  sort: "relevance",
  page: 1,
  size: DEFAULT_SIZE,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const AMOUNT = /^\d{1,16}(\.\d{1,2})?$/;

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return allowed.includes(value as T) ? (value as T) : null;
}

function day(value: string | null): string | null {
  const parts = value ? DAY.exec(value) : null;
  if (!parts) return null;
  const [year, month, date] = parts.slice(1).map(Number);
  const real = new Date(Date.UTC(year, month - 1, date));
  // 2024-02-30 is no day: Date would roll it over to March.
  return real.getUTCFullYear() === year && real.getUTCMonth() === month - 1 && real.getUTCDate() === date
    ? value
    : null;
}

function whole(value: string | null, min: number, max: number): number | null {
  if (!value || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** The search an address asks for. */
export function fromParams(params: URLSearchParams): SearchState {
  const size = whole(params.get("size"), 1, 100);
  const amount = (key: string) => {
    const value = params.get(key);
    return value && AMOUNT.test(value) ? value : null;
  };
  const id = (key: string) => {
    const value = params.get(key);
    return value && UUID.test(value) ? value.toLowerCase() : null;
  };
  return {
    q: (params.get("q") ?? "").trim(),
    docType: oneOf(params.get("doc_type"), DOC_TYPES),
    secrecy: oneOf(params.get("secrecy"), SECRECY),
    departmentId: id("department_id"),
    custodianId: id("custodian_id"),
    issuedFrom: day(params.get("issued_from")),
    issuedTo: day(params.get("issued_to")),
    amountMin: amount("amount_min"),
    amountMax: amount("amount_max"),
    year: whole(params.get("year"), 1900, 9999),
    sort: params.get("sort") === "date" ? "date" : "relevance",
    page: whole(params.get("page"), 1, Number.MAX_SAFE_INTEGER) ?? 1,
    size: size !== null && PAGE_SIZES.includes(size) ? size : DEFAULT_SIZE,
  };
}

/** The filters of a search under the API's names (the address and the request share them). */
function filters(state: SearchState): [string, string | null][] {
  return [
    ["q", state.q || null],
    ["doc_type", state.docType],
    ["secrecy", state.secrecy],
    ["department_id", state.departmentId],
    ["custodian_id", state.custodianId],
    ["issued_from", state.issuedFrom],
    ["issued_to", state.issuedTo],
    ["amount_min", state.amountMin],
    ["amount_max", state.amountMax],
    ["year", state.year === null ? null : String(state.year)],
    ["sort", state.sort === "relevance" ? null : state.sort],
  ];
}

/** The address's query of a search: only what differs from a new search. */
export function toParams(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of filters(state)) if (value !== null) params.set(key, value);
  if (state.page !== 1) params.set("page", String(state.page));
  if (state.size !== DEFAULT_SIZE) params.set("size", String(state.size));
  return params;
}

/** The query of GET /search for a search. */
export function apiQuery(state: SearchState): Record<string, string | number> {
  const query: Record<string, string | number> = {};
  for (const [key, value] of filters(state)) if (value !== null) query[key] = value;
  query.limit = state.size;
  query.offset = (state.page - 1) * state.size;
  return query;
}

/** The search after a change: any change but of the page starts again at page 1. */
export function changed(state: SearchState, change: Partial<SearchState>): SearchState {
  return { ...state, page: 1, ...change };
}

/** Whether anything narrows the search besides its words. */
export function narrowed(state: SearchState): boolean {
  return filters(state).some(([key, value]) => key !== "q" && key !== "sort" && value !== null);
}

/** The same words with every filter taken off. */
export function unfiltered(state: SearchState): SearchState {
  return { ...EMPTY, q: state.q, sort: state.sort, size: state.size };
}

/** Whether there is anything to search for yet: words or a filter. */
export function asked(state: SearchState): boolean {
  return state.q !== "" || narrowed(state);
}

/** The address of a search for words, from anywhere in the app. */
export function searchPath(words: string): string {
  const params = toParams({ ...EMPTY, q: words.trim() });
  const text = params.toString();
  return text ? `/search?${text}` : "/search";
}
