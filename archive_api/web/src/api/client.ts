// The one way the UI talks to Dangan: the public HTTP API, with the browser session's cookie
// and its CSRF token on every change.

export interface ApiErrorBody {
  error: string;
  detail: unknown;
  reason?: string | null;
}

/** An API refusal or failure, with the stable code the catalogue translates. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly reason: string | null = null,
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

let csrf: string | null = null;
let onSignedOut: () => void = () => undefined;

/** Remember the CSRF token of the session (never stored: it lives as long as the page). */
export function setCsrf(token: string | null): void {
  csrf = token;
}

/** Called when the server no longer knows the session (expired, revoked, account disabled). */
export function whenSignedOut(callback: () => void): void {
  onSignedOut = callback;
}

const SAFE = new Set(["GET", "HEAD"]);

function detailText(detail: unknown): string {
  return typeof detail === "string" ? detail : JSON.stringify(detail);
}

/** Send a request to /api/v1; JSON in and out unless the body is a FormData or URLSearchParams. */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: { signOutOn401?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (!SAFE.has(method) && csrf) headers["X-CSRF-Token"] = csrf;
  let payload: BodyInit | undefined;
  if (body instanceof FormData || body instanceof URLSearchParams) payload = body;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: payload,
    credentials: "same-origin",
  });
  if (response.status === 401 && options.signOutOn401 !== false) onSignedOut();
  if (!response.ok) throw refusal(response.status, response.statusText, await response.text());
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** The ApiError of a refused request, from its status and body (JSON or not). */
export function refusal(status: number, statusText: string, body: string): ApiError {
  let parsed: ApiErrorBody = { error: "http_error", detail: statusText };
  try {
    parsed = JSON.parse(body) as ApiErrorBody;
  } catch {
    // not JSON (a proxy's page, say): keep the status text
  }
  return new ApiError(status, parsed.error, detailText(parsed.detail), parsed.reason ?? null);
}

/**
 * POST a form with a file to /api/v1, telling `onProgress` the share sent (0..1): fetch cannot
 * report upload progress, XMLHttpRequest can. Same CSRF header and errors as `request`.
 */
export function upload<T>(
  path: string,
  form: FormData,
  onProgress: (sent: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    if (csrf) xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status === 401) onSignedOut();
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(JSON.parse(xhr.responseText) as T);
      } else reject(refusal(xhr.status, xhr.statusText, xhr.responseText));
    };
    // As fetch does when the server cannot be reached; errorMessage says so in the user's words.
    xhr.onerror = () => reject(new TypeError("Failed to fetch"));
    xhr.onabort = () => reject(new DOMException("Aborted", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(form);
  });
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body),
  put: <T>(path: string, body?: unknown) => request<T>("PUT", path, body),
  patch: <T>(path: string, body?: unknown) => request<T>("PATCH", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

/** A file the API answers with (a POST's bundle, say), with the name it suggests. */
export async function requestFile(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ blob: Blob; filename: string | null }> {
  const headers: Record<string, string> = {};
  if (!SAFE.has(method) && csrf) headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 401) onSignedOut();
  if (!response.ok) {
    let parsed: ApiErrorBody = { error: "http_error", detail: response.statusText };
    try {
      parsed = (await response.json()) as ApiErrorBody;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(response.status, parsed.error, detailText(parsed.detail), parsed.reason ?? null);
  }
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const named = /filename="([^"]+)"/.exec(disposition);
  return { blob: await response.blob(), filename: named ? named[1] : null };
}

/** Hand a file to the browser's downloads, as a link to it would. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the object URL is not needed after.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
