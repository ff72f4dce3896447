// What an auditor's search form means to the API: ids, an action, an outcome and whole days
// of the company's calendar (Asia/Shanghai), whatever the browser's zone.
import dayjs, { type Dayjs } from "dayjs";
import { COMPANY_ZONE } from "../../format";

export interface AuditFilters {
  actorId?: string | null;
  customerId?: string | null;
  documentId?: string | null;
  action?: string | null;
  outcome?: string | null;
  /** The first and last day, both included. */
  days?: [Dayjs, Dayjs] | null;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The UTC instants at which the chosen company days begin and after which they end. */
export function window(days: [Dayjs, Dayjs]): { since: string; until: string } {
  const start = dayjs.tz(days[0].format("YYYY-MM-DD"), COMPANY_ZONE);
  const end = dayjs.tz(days[1].format("YYYY-MM-DD"), COMPANY_ZONE).add(1, "day");
  return { since: start.utc().toISOString(), until: end.utc().toISOString() };
}

/** The query of GET /audit/events for these filters. */
export function eventQuery(filters: AuditFilters): Record<string, string | undefined> {
  const time = filters.days ? window(filters.days) : undefined;
  const document = filters.documentId?.trim();
  return {
    actor_id: filters.actorId ?? undefined,
    customer_id: filters.customerId ?? undefined,
    document_id: document && UUID.test(document) ? document : undefined,
    action: filters.action ?? undefined,
    outcome: filters.outcome ?? undefined,
    since: time?.since,
    until: time?.until,
  };
}

export interface ExportRequest {
  since: string;
  until: string;
  actor_id?: string;
  customer_id?: string;
}

/** The body of POST /audit/exports (a bundle is of a time window: none without one). */
export function exportRequest(filters: AuditFilters): ExportRequest | null {
  if (!filters.days) return null;
  const body: ExportRequest = window(filters.days);
  if (filters.actorId) body.actor_id = filters.actorId;
  if (filters.customerId) body.customer_id = filters.customerId;
  return body;
}
