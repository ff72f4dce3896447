// Dates and times in the company's zone, whatever the browser's.
import dayjs from "dayjs";
import timezone from "dayjs/plugin/timezone";
import utc from "dayjs/plugin/utc";

dayjs.extend(utc);
dayjs.extend(timezone);

export const COMPANY_ZONE = "Asia/Shanghai";

/** A UTC timestamp from the API as company time, e.g. 2026-11-29 18:05. */
export function companyTime(value: string | null | undefined): string {
  return value ? dayjs.utc(value).tz(COMPANY_ZONE).format("YYYY-MM-DD HH:mm") : "";
}
