// Every catalogue of the UI: the common words, then one part per area of the app, so that each
// area's pages and their words live side by side (src/pages/<area>/i18n.ts).
import * as account from "../pages/account/i18n";
import * as admin from "../pages/admin/i18n";
import * as audit from "../pages/audit/i18n";
import * as contracts from "../pages/contracts/i18n";
import * as borrowings from "../pages/borrowings/i18n";
import * as credit from "../pages/credit/i18n";
import * as customers from "../pages/customers/i18n";
import * as handovers from "../pages/handovers/i18n";
import * as retention from "../pages/retention/i18n";
import * as search from "../pages/search/i18n";
import { en as commonEn } from "./en";
import { zh as commonZh } from "./zh";

export const zh = {
  ...commonZh,
  account: account.zh,
  admin: admin.zh,
  audit: audit.zh,
  borrowings: borrowings.zh,
  contracts: contracts.zh,
  credit: credit.zh,
  customers: customers.zh,
  handovers: handovers.zh,
  retention: retention.zh,
  search: search.zh,
};

export const en: typeof zh = {
  ...commonEn,
  account: account.en,
  admin: admin.en,
  audit: audit.en,
  borrowings: borrowings.en,
  contracts: contracts.en,
  credit: credit.en,
  customers: customers.en,
  handovers: handovers.en,
  retention: retention.en,
  search: search.en,
};
