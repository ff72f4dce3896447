// Which legal holds keep a document (on it, its contract or the whole file), as the server
// decides in ingest/holding.py: the file shows it beside each document.
import type { Schemas } from "../../api/types";

export type Hold = Schemas["HoldRead"];

/** The holds in force that cover a document. */
export function holdsCovering(document: { id: string; contract_no?: string | null }, holds: Hold[]): Hold[] {
  return holds.filter(
    (h) =>
      h.active &&
      (h.scope === "customer" ||
        (h.scope === "contract" && h.contract_no !== null && h.contract_no === document.contract_no) ||
        (h.scope === "document" && h.document_id === document.id)),
  );
}

/** The contract numbers the file's documents carry, once each, in order: what a contract hold names. */
export function contractNumbers(documents: { contract_no?: string | null }[]): string[] {
  return [...new Set(documents.map((d) => d.contract_no).filter((n): n is string => !!n))].sort();
}

/** Where a hold is lifted: a document's through its document, the file's or a contract's through the customer. */
export function liftPath(hold: Hold): string {
  return hold.scope === "document" && hold.document_id
    ? `/documents/${hold.document_id}/holds/${hold.id}/lift`
    : `/customers/${hold.customer_id}/holds/${hold.id}/lift`;
}
