// Every catalogue of the UI: the common words, then one part per area of the app, so that each
// area's pages and their words live side by side (src/pages/<area>/i18n.ts).
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
};

export const en: typeof zh = {
  ...commonEn,
  credit: credit.en,
  customers: customers.en,
  handovers: handovers.en,
};
