// An action of the log named in the reader's language.
import { useCallback } from "react";
import { useTranslation } from "react-i18next";

/** The action's name in the reader's language (the code itself for an action not named). */
export function useActionName(): (code: string) => string {
  const { t } = useTranslation();
  // Codes hold ":", i18next's namespace separator: look them up as plain keys.
  return useCallback(
    (code: string) => t(`audit.actions.${code}`, { nsSeparator: false, defaultValue: code }),
    [t],
  );
}
