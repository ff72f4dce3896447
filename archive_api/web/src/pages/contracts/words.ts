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
