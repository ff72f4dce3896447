// One catalogue per language; Simplified Chinese by default, English chosen per user.
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { ApiError } from "../api/client";
import { en, zh } from "./catalogues";

export type Language = "zh" | "en";
const STORED = "dangan.language";

export function storedLanguage(): Language {
  return localStorage.getItem(STORED) === "en" ? "en" : "zh";
}

export function chooseLanguage(language: Language): void {
  localStorage.setItem(STORED, language);
  void i18next.changeLanguage(language);
  document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
}

void i18next.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: false,
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  // A key with no text is a bug to see at once: the browser tests fail on any console error.
  saveMissing: true,
  missingKeyHandler: (_languages, _namespace, key) => console.error(`untranslated: ${key}`),
  showSupportNotice: false,
});

/** The user's-language message for an error the API (or the network) gave. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    // The particular case first ("this credit code is taken"), then the kind of error.
    if (error.reason && i18next.exists(`reason.${error.reason}`)) return i18next.t(`reason.${error.reason}`);
    const key = `error.${error.code}`;
    if (i18next.exists(key)) return i18next.t(key, { detail: error.detail });
    return i18next.t("error.unknown", { code: error.code });
  }
  return i18next.t("error.network");
}

export default i18next;
