// Changes made from a page: the outcome is announced in the user's language.
import { App } from "antd";
import { useCallback, useState } from "react";
import { errorMessage } from "../i18n";

/** Run a change; say `done` when it worked, the API's reason when it did not. */
export function useAct(): {
  busy: boolean;
  act: <T>(change: () => Promise<T>, done?: string) => Promise<T | undefined>;
} {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const act = useCallback(
    async <T,>(change: () => Promise<T>, done?: string): Promise<T | undefined> => {
      setBusy(true);
      try {
        const result = await change();
        if (done) void message.success(done);
        return result;
      } catch (failed) {
        void message.error(errorMessage(failed));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [message],
  );
  return { busy, act };
}
