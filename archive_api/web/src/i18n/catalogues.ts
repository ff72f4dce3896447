// Every catalogue of the UI: the common words, then one part per area of the app, so that each
// area's pages and their words live side by side (src/pages/<area>/i18n.ts).
import { en as commonEn } from "./en";
import { zh as commonZh } from "./zh";
import * as customers from "../pages/customers/i18n";

export const zh = {
  ...commonZh,
  customers: customers.zh,
};

export const en: typeof zh = {
  ...commonEn,
  customers: customers.en,
};
