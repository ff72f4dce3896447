// Every catalogue of the UI: the common words, then one part per area of the app, so that each
// area's pages and their words live side by side (src/pages/<area>/i18n.ts).
import { en as commonEn } from "./en";
import { zh as commonZh } from "./zh";
import * as account from "../pages/account/i18n";
import * as admin from "../pages/admin/i18n";
import * as audit from "../pages/audit/i18n";

export const zh = {
  ...commonZh,
  audit: audit.zh,
  admin: admin.zh,
  account: account.zh,
};

export const en: typeof zh = {
  ...commonEn,
  audit: audit.en,
  admin: admin.en,
  account: account.en,
};
