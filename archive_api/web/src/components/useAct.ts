// Changes made from a page: the outcome is announced in the user's language.
import { App } from "antd";
import { useCallback, useState } from "react";
import { errorMessage } from "../i18n";

/** Run a change; say `done` when it worked, the API's reason when it did not.

`problem` keeps the last refusal until the next change, for a form to show beside its fields.
*/
export function useAct(): {
  busy: boolean;
  problem: unknown;
  act: <T>(change: () => Promise<T>, done?: string) => Promise<T | undefined>;
} {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const act = useCallback(
    async <T,>(change: () => Promise<T>, done?: string): Promise<T | undefined> => {
      setBusy(true);
      setProblem(null);
      try {
        const result = await change();
        if (done) void message.success(done);
        return result;
      } catch (failed) {
        setProblem(failed);
        void message.error(errorMessage(failed));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [message],
  );
  return { busy, problem, act };
}
