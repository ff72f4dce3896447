// The fixed choices of the administration forms, named in the reader's language.
import type { TFunction } from "i18next";
import type { Role } from "../../api/types";

export const ROLES: Role[] = [
  "sales",
  "sales_manager",
  "credit_manager",
  "archivist",
  "dept_head",
  "marketing_director",
  "auditor",
  "admin",
];
export const CLEARANCES = ["public", "internal", "confidential", "secret"] as const;
export const STATUSES = ["active", "disabled", "departed"] as const;
export const OBJECTS = ["customer", "document", "borrowing", "handover", "admin", "audit"] as const;

export const roleOptions = (t: TFunction) => ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }));
export const clearanceOptions = (t: TFunction) =>
  CLEARANCES.map((c) => ({ value: c, label: t(`secrecy.${c}`) }));
export const statusOptions = (t: TFunction) =>
  STATUSES.map((s) => ({ value: s, label: t(`admin.userStatus.${s}`) }));
export const objectOptions = (t: TFunction) =>
  OBJECTS.map((o) => ({ value: o, label: t(`admin.object.${o}`) }));

/** The API's "no department" (company-wide) from a select whose empty value means it. */
export const departmentOrNone = (value: string | null | undefined): string | null => value || null;

/** Only the fields that differ from the user as loaded, for a PATCH that changes just those. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    const value = after[key];
    if (value === undefined || value === "") continue; // left empty: not changed
    if (value !== before[key]) changed[key] = value;
  }
  return changed;
}
