import { Segmented } from "antd";
import { useTranslation } from "react-i18next";
import { chooseLanguage, type Language } from "./i18n";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Language>
      aria-label={t("language.label")}
      value={i18n.language as Language}
      onChange={chooseLanguage}
      options={[
        { label: t("language.zh"), value: "zh" },
        { label: t("language.en"), value: "en" },
      ]}
    />
  );
}
