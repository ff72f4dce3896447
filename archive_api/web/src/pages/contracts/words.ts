// The ledger's vocabularies as the API names them, for selects and tags.
import type { Schemas } from "../../api/types";

export type Contract = Schemas["ContractRead"];
export type Kind = Contract["kind"];
export type Status = Contract["status"];
export const KINDS: Kind[] = ["original", "copy", "amendment", "termination"];
export const STATUSES: Status[] = ["draft", "signed", "performing", "completed", "terminated", "cancelled"];
export const CURRENCIES = ["CNY", "USD", "EUR", "HKD", "JPY"];
export const REPORTERS = ["credit_manager", "dept_head", "marketing_director"] as const;
export const KEEPERS = ["credit_manager", "archivist", "dept_head"] as const;
export const MAKERS = ["sales", "sales_manager", "credit_manager", "dept_head"] as const;

/** An amount as the ledger shows it: grouped digits, two decimals, its currency. */
export function money(amount: string | null, currency: string): string {
  if (amount === null) return "—";
  const [whole, cents = "00"] = amount.split(".");
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents.padEnd(2, "0")} ${currency}`;
}

/** The last half year that has ended on `today`: the one whose statistics are made next. */
export function lastHalf(today: Date): { year: number; half: 1 | 2 } {
  const month = today.getMonth() + 1;
  if (month >= 7) return { year: today.getFullYear(), half: 1 };
  return { year: today.getFullYear() - 1, half: 2 };
}

// The words of the record's fields as a change lists them (the API names them as its columns).
const FIELDS: Record<string, string> = {
  title: "titleField",
  counterparty: "counterparty",
  amount: "amount",
  currency: "currency",
  kind: "kindField",
  status: "statusField",
  signed_on: "signedOn",
  term_start: "termStart",
  term_end: "termEnd",
  custodian_id: "custodian",
  amends_id: "amends",
  handed_to_credit_on: "handedToCredit",
  handed_to_archive_on: "handedToArchive",
};
type Translate = (key: string) => string;

/** A changed field and its value as the reader reads them: words for names and codes, and a
 * person's name for their id where the page knows it. */
export function changeWords(
  field: string,
  value: unknown,
  t: Translate,
  people: Record<string, string> = {},
): { name: string; value: string } {
  const name = field in FIELDS ? t(`contracts.${FIELDS[field]}`) : field;
  if (value === null || value === undefined || value === "") return { name, value: "—" };
  const code = String(value);
  if (field === "kind" || field === "status") return { name, value: t(`contracts.${field}.${code}`) };
  return { name, value: people[code] ?? code };
}
