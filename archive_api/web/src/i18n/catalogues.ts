// Every catalogue of the UI: the common words, then one part per area of the app, so that each
// area's pages and their words live side by side (src/pages/<area>/i18n.ts).
import * as handovers from "../pages/handovers/i18n";
import { en as commonEn } from "./en";
import { zh as commonZh } from "./zh";

export const zh = {
  ...commonZh,
  handovers: handovers.zh,
};

export const en: typeof zh = {
  ...commonEn,
  handovers: handovers.en,
};
