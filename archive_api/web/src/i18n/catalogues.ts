// Every catalogue of the UI: the common words, then one part per area of the app, so that each
// area's pages and their words live side by side (src/pages/<area>/i18n.ts).
import { en as commonEn } from "./en";
import { zh as commonZh } from "./zh";
import * as borrowings from "../pages/borrowings/i18n";

export const zh = {
  ...commonZh,
  borrowings: borrowings.zh,
};

export const en: typeof zh = {
  ...commonEn,
  borrowings: borrowings.en,
};
