// Shapes of the API's answers that the UI reads: generated from openapi.json (npm run
// api-types), named here where the UI speaks of them often.
import type { components } from "./schema";

export type Schemas = components["schemas"];

export type Role =
  | "sales"
  | "sales_manager"
  | "credit_manager"
  | "archivist"
  | "dept_head"
  | "marketing_director"
  | "auditor"
  | "admin";

export interface RoleHeld {
  role: Role;
  department_id: string | null;
}

export interface Me {
  id: string;
  username: string;
  display_name: string;
  department_id: string | null;
  clearance: string;
  roles: RoleHeld[];
  language: "zh" | "en";
  csrf_token: string | null;
}

export interface SessionOpened {
  csrf_token: string;
  expires_in: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}
