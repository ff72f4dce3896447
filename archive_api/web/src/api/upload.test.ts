import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, setCsrf, upload } from "./client";

// A stand-in for the browser's XMLHttpRequest: it records what was sent and answers as told.
class FakeRequest {
  static last: FakeRequest;
  headers: Record<string, string> = {};
  method = "";
  url = "";
  body: unknown = null;
  status = 0;
  statusText = "";
  responseText = "";
  withCredentials = false;
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = {
    onprogress: null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeRequest.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  answer(status: number, body: string) {
    this.status = status;
    this.responseText = body;
    this.onload?.();
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrf(null);
});

describe("upload", () => {
  it("sends the form with the CSRF header and reports progress up to the whole", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeRequest);
    setCsrf("token-1");
    const seen: number[] = [];
    const form = new FormData();
    const sent = upload<{ id: string }>("/customers/c/documents", form, (share) => seen.push(share));
    const xhr = FakeRequest.last;
    expect([xhr.method, xhr.url, xhr.headers["X-CSRF-Token"], xhr.body]).toEqual([
      "POST",
      "/api/v1/customers/c/documents",
      "token-1",
      form,
    ]);
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 200 });
    xhr.answer(201, JSON.stringify({ id: "d1" }));
    await expect(sent).resolves.toEqual({ id: "d1" });
    expect(seen).toEqual([0.25, 1]);
  });

  it("turns a refusal into the same ApiError as every other request", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeRequest);
    const sent = upload("/customers/c/documents", new FormData(), () => undefined);
    FakeRequest.last.answer(
      409,
      JSON.stringify({ error: "conflict", detail: "already stored", reason: "file_already_stored" }),
    );
    const failed = await sent.catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ApiError);
    expect(failed).toMatchObject({ status: 409, code: "conflict", reason: "file_already_stored" });
  });

  it("keeps the status when the refusal is not JSON (a proxy's 413 page, say)", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeRequest);
    const sent = upload("/x", new FormData(), () => undefined);
    FakeRequest.last.statusText = "Payload Too Large";
    FakeRequest.last.answer(413, "<html>too large</html>");
    await expect(sent).rejects.toMatchObject({ status: 413, code: "http_error", detail: "Payload Too Large" });
  });

  it("fails as an unreachable server does when the connection breaks", async () => {
    vi.stubGlobal("XMLHttpRequest", FakeRequest);
    const sent = upload("/x", new FormData(), () => undefined);
    FakeRequest.last.onerror?.();
    await expect(sent).rejects.toBeInstanceOf(TypeError);
  });
});
