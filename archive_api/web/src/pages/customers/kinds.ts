// The kinds the customer file speaks of: document types (docs/domain.md), secrecy levels, grades, and
// which roles open which doors (as access/policy/policy.csv grants them; the server decides).
import type { Role, Schemas } from "../../api/types";

export type DocType = Schemas["DocType"];
export type Secrecy = Schemas["Secrecy"];

/** Every document type, in the order the customer file shows them. */
export const DOC_TYPES: DocType[] = [
  "business_license",
  "tax_certificate",
  "bank_reference",
  "financial_statement",
  "contract",
  "authorization",
  "guarantee",
  "correspondence",
  "credit_application",
  "credit_survey",
  "credit_approval",
  "annual_review",
  "collection_letter",
  "payment_voucher",
  "credit_report",
  "other",
];

export const SECRECY: Secrecy[] = ["public", "internal", "confidential", "secret"];

export const GRADES = ["AAA", "AA", "A", "BBB", "BB", "B", "C"];

/** Who may do what in the customers area. */
export const MAY: Record<
  | "open"
  | "upload"
  | "borrow"
  | "readCredit"
  | "acceptLicense"
  | "review"
  | "update"
  | "hold"
  | "editLetter"
  | "proposeCustomer"
  | "proposeDocument"
  | "approveSecrecy"
  | "markImportant",
  Role[]
> = {
  open: ["sales", "sales_manager", "archivist", "dept_head"],
  upload: ["sales", "sales_manager", "credit_manager", "archivist", "dept_head"],
  borrow: ["sales", "sales_manager", "credit_manager", "archivist", "dept_head", "marketing_director"],
  readCredit: ["credit_manager", "dept_head", "marketing_director"],
  acceptLicense: ["credit_manager", "dept_head"],
  review: ["credit_manager"],
  update: ["credit_manager", "archivist", "dept_head"],
  hold: ["archivist", "dept_head"],
  editLetter: ["credit_manager", "archivist", "dept_head"],
  proposeCustomer: ["sales", "sales_manager", "credit_manager", "archivist"],
  proposeDocument: ["sales", "sales_manager", "credit_manager"],
  approveSecrecy: ["dept_head", "marketing_director"],
  markImportant: ["dept_head", "marketing_director"],
};

/** Industries the credit policy has a reference table for (ingest/policy/credit.toml), offered
 * as suggestions; any other is rated against the default table, with a warning saying so. */
export const INDUSTRIES = ["电子", "制造", "装备制造", "白酒", "食品", "饮料", "电力", "能源"];

/** The industries as suggestions of an AutoComplete. */
export const industryOptions = INDUSTRIES.map((value) => ({ value }));

export type CustomerStatus = Schemas["CustomerStatus"];

/** Each status's colour: where a customer stands is seen at a glance. */
export const STATUS_COLOURS: Record<CustomerStatus, string> = {
  prospect: "default",
  active: "success",
  under_review: "processing",
  suspended: "warning",
  blacklisted: "error",
  terminated: "default",
};

export const STATUSES: CustomerStatus[] = ["prospect", "active", "under_review", "suspended", "blacklisted", "terminated"];

/** Currencies offered for a registered capital (any ISO 4217 code may be typed). */
export const CURRENCIES = ["CNY", "USD", "HKD", "EUR", "JPY"];

/** What an industry as typed is sent as: trimmed, and nothing when blank. */
export function industryOf(typed: string | undefined): string | null {
  return typed?.trim() || null;
}

/** The file types Dangan accepts (judged again by content on the server). */
const ACCEPTED = /\.(pdf|jpe?g|png|tiff?|webp)$/i;
const ACCEPTED_MEDIA = new Set(["application/pdf", "image/jpeg", "image/png", "image/tiff", "image/webp"]);

/** Whether a file chosen looks like one Dangan accepts, by its name or media type. */
export function acceptable(file: { name: string; type: string }): boolean {
  return ACCEPTED_MEDIA.has(file.type) || ACCEPTED.test(file.name);
}

/** The document type a file's name suggests, so that most files need no choosing. */
export function guessType(name: string): DocType {
  const lower = name.toLowerCase();
  if (/license|licence|营业执照|执照/.test(lower)) return "business_license";
  if (/statement|报表|资产负债|利润表|现金流量/.test(lower)) return "financial_statement";
  if (/contract|合同/.test(lower)) return "contract";
  if (/tax|纳税|完税/.test(lower)) return "tax_certificate";
  if (/bank|银行/.test(lower)) return "bank_reference";
  return "other";
}

/** A title from a file's name: without its extension. */
export function titleOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return (dot > 0 ? name.slice(0, dot) : name).trim() || name;
}
