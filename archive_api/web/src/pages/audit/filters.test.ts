import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import "../../format";
import { eventQuery, exportRequest, window } from "./filters";

describe("the audit filters", () => {
  it("take whole days of the company's calendar, in UTC", () => {
    const days: [dayjs.Dayjs, dayjs.Dayjs] = [dayjs("2026-11-28"), dayjs("2026-11-29")];
    expect(window(days)).toEqual({
      since: "2026-11-27T16:00:00.000Z",
      until: "2026-11-29T16:00:00.000Z",
    });
  });

  it("send only what is chosen, and no malformed document id", () => {
    expect(eventQuery({ action: "document:content:read", documentId: "not-an-id" })).toEqual({
      actor_id: undefined,
      customer_id: undefined,
      document_id: undefined,
      action: "document:content:read",
      outcome: undefined,
      since: undefined,
      until: undefined,
    });
    const id = "0b5e1f8e-2c1a-4c55-9a57-3f1d2b3c4d5e";
    expect(eventQuery({ documentId: ` ${id} ` }).document_id).toBe(id);
  });

  it("export a window with its person and customer, and nothing without a window", () => {
    expect(exportRequest({ actorId: "a" })).toBeNull();
    const body = exportRequest({
      actorId: "a",
      outcome: "denied",
      days: [dayjs("2026-01-01"), dayjs("2026-01-01")],
    });
    expect(body).toEqual({
      since: "2025-12-31T16:00:00.000Z",
      until: "2026-01-01T16:00:00.000Z",
      actor_id: "a",
    });
  });
});
