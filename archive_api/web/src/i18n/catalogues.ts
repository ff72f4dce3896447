// Every catalogue of the UI: the common words, then one part per area of the app, so that each
// area's pages and their words live side by side (src/pages/<area>/i18n.ts).
import * as account from "../pages/account/i18n";
import * as admin from "../pages/admin/i18n";
import * as audit from "../pages/audit/i18n";
import * as credit from "../pages/credit/i18n";
import * as customers from "../pages/customers/i18n";
import * as handovers from "../pages/handovers/i18n";
import { en as commonEn } from "./en";
import { zh as commonZh } from "./zh";

export const zh = {
  ...commonZh,
  credit: credit.zh,
  customers: customers.zh,
  handovers: handovers.zh,
  audit: audit.zh,
  admin: admin.zh,
  account: account.zh,
};

export const en: typeof zh = {
  ...commonEn,
  credit: credit.en,
  customers: customers.en,
  handovers: handovers.en,
  audit: audit.en,
  admin: admin.en,
  account: account.en,
};
