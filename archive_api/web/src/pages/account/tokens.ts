// The state of a personal token as its owner reads it.
export type TokenState = "live" | "revokedAt" | "expired";

export function tokenState(
  token: { revoked_at?: string | null; expires_at?: string | null },
  now: Date = new Date(),
): TokenState {
  if (token.revoked_at) return "revokedAt";
  if (token.expires_at && new Date(token.expires_at) <= now) return "expired";
  return "live";
}
