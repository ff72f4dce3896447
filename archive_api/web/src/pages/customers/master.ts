// A customer's master data in the edit form, and the change sent for it: only what was changed.
import type { Schemas } from "../../api/types";

export type Detail = Schemas["CustomerDetail"];

export interface HolderRow {
  name?: string;
  share?: string;
}

export interface BankRow {
  bank?: string;
  account_name?: string;
  account_no?: string;
}

/** The form's values: texts as typed, dates as YYYY-MM-DD, decimals as strings. */
export interface Typed {
  name?: string;
  category?: string | null;
  industry?: string;
  capital_amount?: string;
  capital_currency?: string;
  legal_representative?: string;
  address?: string;
  business_scope?: string;
  founded_on?: string | null;
  cooperation_since?: string | null;
  shareholders?: HolderRow[];
  bank_references?: BankRow[];
  reason?: string;
}

/** The form filled from the record. */
export function formOf(c: Detail): Typed {
  return {
    name: c.name,
    category: c.category,
    industry: c.industry ?? "",
    capital_amount: c.registered_capital?.amount ?? "",
    capital_currency: c.registered_capital?.currency ?? "CNY",
    legal_representative: c.legal_representative ?? "",
    address: c.address ?? "",
    business_scope: c.business_scope ?? "",
    founded_on: c.founded_on,
    cooperation_since: c.cooperation_since,
    shareholders: c.shareholders.map((s) => ({ name: s.name, share: s.share })),
    bank_references: c.bank_references.map((b) => ({
      bank: b.bank,
      account_name: b.account_name,
      account_no: b.account_no ?? "",
    })),
    reason: "",
  };
}

/** A text as sent: trimmed, one line (business scopes are pasted with line breaks), none if blank. */
export function textOf(typed: string | null | undefined): string | null {
  const text = (typed ?? "").replace(/\s*[\r\n]+\s*/g, " ").trim();
  return text || null;
}

/** A decimal as the server shows it (two places), or the text as typed for the server to judge. */
export function decimalOf(typed: string | null | undefined): string | null {
  const text = (typed ?? "").replace(/[,\s]/g, "");
  if (!text) return null;
  const found = /^(\d+)(?:\.(\d{0,2}))?$/.exec(text);
  if (!found) return text;
  return `${found[1].replace(/^0+(?=\d)/, "")}.${(found[2] ?? "").padEnd(2, "0")}`;
}

function capitalOf(typed: Typed): { amount: string; currency: string } | null {
  const amount = decimalOf(typed.capital_amount);
  return amount === null ? null : { amount, currency: textOf(typed.capital_currency)?.toUpperCase() ?? "CNY" };
}

function holdersOf(rows: HolderRow[] | undefined) {
  return (rows ?? [])
    .filter((r) => textOf(r.name) || decimalOf(r.share))
    .map((r) => ({ name: textOf(r.name) ?? "", share: decimalOf(r.share) ?? "" }));
}

function banksOf(rows: BankRow[] | undefined) {
  return (rows ?? [])
    .filter((r) => textOf(r.bank) || textOf(r.account_name) || textOf(r.account_no))
    .map((r) => ({
      bank: textOf(r.bank) ?? "",
      account_name: textOf(r.account_name) ?? "",
      account_no: textOf(r.account_no),
    }));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields whose value as typed differs from the record, as the PATCH sends them. */
export function changesOf(c: Detail, typed: Typed): Record<string, unknown> {
  const was = formOf(c);
  const values: [string, unknown, unknown][] = [
    ["name", textOf(typed.name), c.name],
    ["category", typed.category ?? null, c.category],
    ["industry", textOf(typed.industry), c.industry],
    ["registered_capital", capitalOf(typed), capitalOf(was)],
    ["legal_representative", textOf(typed.legal_representative), c.legal_representative],
    ["address", textOf(typed.address), c.address],
    ["business_scope", textOf(typed.business_scope), c.business_scope],
    ["founded_on", typed.founded_on ?? null, c.founded_on],
    ["cooperation_since", typed.cooperation_since ?? null, c.cooperation_since],
    ["shareholders", holdersOf(typed.shareholders), holdersOf(was.shareholders)],
    ["bank_references", banksOf(typed.bank_references), banksOf(was.bank_references)],
  ];
  return Object.fromEntries(values.filter(([, now, before]) => !same(now, before)).map(([f, now]) => [f, now]));
}

/** The fields a refusal names ("founded_on: in the future; shareholders.0.share: …"). */
export function fieldsNamed(detail: string): string[] {
  const named = detail
    .split("; ")
    .map((part) => part.split(":")[0].split(".")[0].trim())
    .filter((f) => /^[a-z_]+$/.test(f) && f !== "request");
  return [...new Set(named)];
}
