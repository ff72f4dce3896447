import { Segmented } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "./api/client";
import { chooseLanguage, type Language } from "./i18n";
import { useSession } from "./session";

/** 中文 / English: remembered in this browser, and on the server for a signed-in user. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const choose = (language: Language) => {
    chooseLanguage(language);
    // Best effort: the page has changed already; another browser learns it at next sign-in.
    if (me) void api.patch("/auth/me", { language }).catch(() => undefined);
  };
  return (
    <Segmented<Language>
      aria-label={t("language.label")}
      value={i18n.language as Language}
      onChange={choose}
      options={[
        { label: t("language.zh"), value: "zh" },
        { label: t("language.en"), value: "en" },
      ]}
    />
  );
}
