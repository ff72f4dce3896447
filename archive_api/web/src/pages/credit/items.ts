// The fixed chart of statement items in the order statements print them (ingest/statements/chart.py).
import { zh } from "./i18n";

export const ITEM_ORDER: string[] = Object.keys(zh.item);
