// Where the background reading of a document stands, asked again until it has finished.
import { Tag } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { useFetch } from "../../hooks";

type State = Schemas["ExtractionState"];

const COLOR: Record<string, string> = { pending: "default", running: "processing", done: "success", failed: "error" };
const POLL_MS = 1500;

/** Whether a reading is still to finish. */
export function unfinished(states: State[] | null): boolean {
  return states === null || states.some((s) => s.status === "pending" || s.status === "running");
}

/** The latest reading's status of one document, polled while it is pending or running. */
export function ExtractionStatus({ documentId, onDone }: { documentId: string; onDone?: () => void }) {
  const { t } = useTranslation();
  const { data, error, reload } = useFetch<State[]>(`/documents/${documentId}/extractions`);
  const waiting = !error && unfinished(data);
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setTimeout(reload, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [waiting, data, reload]);
  useEffect(() => {
    if (data && !unfinished(data) && data.length > 0) onDone?.();
  }, [data, onDone]);
  const latest = data?.[0];
  if (!latest) return null;
  return (
    <Tag color={COLOR[latest.status]} className={`extraction extraction-${latest.status}`}>
      {t(`customers.extraction.${latest.status}`)}
    </Tag>
  );
}
