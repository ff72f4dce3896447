// Who is signed in. The session lives in an HttpOnly cookie the page cannot read; the page
// asks the API who it is, and any 401 brings the sign-in page back.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { api, ApiError, request, setCsrf, whenSignedOut } from "./api/client";
import type { Me, Role, SessionOpened } from "./api/types";
import { chooseLanguage } from "./i18n";

interface SessionState {
  me: Me | null;
  loading: boolean;
  expired: boolean;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  holds: (...roles: Role[]) => boolean;
}

const SessionContext = createContext<SessionState | null>(null);

// Set beside the HttpOnly session cookie: without it there is no session to ask about.
const mayBeSignedIn = () => document.cookie.split("; ").includes("dangan_signed_in=1");

/** Who the server says is signed in; `ended` when the browser had a session the server refused. */
async function whoAmI(): Promise<{ me: Me | null; ended: boolean }> {
  if (!mayBeSignedIn()) return { me: null, ended: false };
  try {
    const me = await request<Me>("GET", "/auth/me", undefined, { signOutOn401: false });
    setCsrf(me.csrf_token);
    chooseLanguage(me.language); // remembered on the server, for every browser of the user
    return { me, ended: false };
  } catch (refused) {
    return { me: null, ended: refused instanceof ApiError && refused.status === 401 };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    whenSignedOut(() => {
      setCsrf(null);
      setMe((was) => {
        if (was) setExpired(true);
        return null;
      });
    });
    const ask = () =>
      void whoAmI().then(({ me: found, ended }) => {
        setMe(found);
        if (ended) setExpired(true);
        setLoading(false);
      });
    ask();
    // Coming back to the tab asks again: an expired session or a disabled account shows the
    // sign-in page at once rather than at the next click.
    const onReturn = () => {
      if (document.visibilityState === "visible" && mayBeSignedIn()) ask();
    };
    document.addEventListener("visibilitychange", onReturn);
    return () => document.removeEventListener("visibilitychange", onReturn);
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    const form = new URLSearchParams({ username, password });
    const opened = await request<SessionOpened>("POST", "/auth/session", form, {
      signOutOn401: false,
    });
    setCsrf(opened.csrf_token);
    setExpired(false);
    setMe((await whoAmI()).me);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.delete("/auth/session");
    } finally {
      setCsrf(null);
      setMe(null);
    }
  }, []);

  const holds = useCallback(
    (...roles: Role[]) => (me ? me.roles.some((held) => roles.includes(held.role)) : false),
    [me],
  );

  const value = useMemo(
    () => ({ me, loading, expired, signIn, signOut, holds }),
    [me, loading, expired, signIn, signOut, holds],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const found = useContext(SessionContext);
  if (!found) throw new Error("useSession outside SessionProvider");
  return found;
}
