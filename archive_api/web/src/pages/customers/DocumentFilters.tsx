// Narrowing a customer file's documents: by type, by title, and a letter's channel, direction and
// escalation level (GET /documents takes each as a filter).
import { Input, Select, Space } from "antd";
import { useTranslation } from "react-i18next";
import { DOC_TYPES } from "./kinds";
import type { DocType } from "./kinds";
import { CHANNELS, DIRECTIONS, keeps, LEVELS } from "./letters";
import type { Channel, Direction } from "./letters";

export interface DocumentFilter {
  doc_type?: DocType;
  q?: string;
  channel?: Channel;
  direction?: Direction;
  escalation_level?: number;
}

/** Whether any filter is set. */
export const filtering = (filter: DocumentFilter) => Object.values(filter).some((v) => v !== undefined && v !== "");

/** The filter for another type: a letter's details are dropped where that type keeps none. */
export function forType(filter: DocumentFilter, doc_type: DocType | undefined): DocumentFilter {
  const kept = doc_type === undefined ? { letter: true, level: true } : keeps(doc_type);
  return {
    ...filter,
    doc_type,
    channel: kept.letter ? filter.channel : undefined,
    direction: kept.letter ? filter.direction : undefined,
    escalation_level: kept.level ? filter.escalation_level : undefined,
  };
}

interface Props {
  value: DocumentFilter;
  onChange: (filter: DocumentFilter) => void;
}

export function DocumentFilters({ value, onChange }: Props) {
  const { t } = useTranslation();
  const set = (change: DocumentFilter) => onChange({ ...value, ...change });
  // A letter's details are asked only of the types that keep them.
  const kept = value.doc_type === undefined ? { letter: true, level: true } : keeps(value.doc_type);
  return (
    <Space size={8} wrap className="doc-filters">
      <Select<DocType>
        allowClear
        className="doc-filter-type"
        style={{ minWidth: 140 }}
        placeholder={t("customers.file.anyType")}
        value={value.doc_type}
        onChange={(doc_type) => onChange(forType(value, doc_type))}
        options={DOC_TYPES.map((type) => ({ value: type, label: t(`customers.docType.${type}`) }))}
      />
      <Input.Search
        allowClear
        className="doc-filter-title"
        style={{ width: 180 }}
        placeholder={t("customers.file.filterTitle")}
        defaultValue={value.q}
        onSearch={(q) => set({ q: q.trim() || undefined })}
      />
      {kept.letter && (
        <>
          <Select<Channel>
            allowClear
            className="doc-filter-channel"
            style={{ minWidth: 120 }}
            placeholder={t("customers.file.anyChannel")}
            value={value.channel}
            onChange={(channel) => set({ channel })}
            options={CHANNELS.map((c) => ({ value: c, label: t(`customers.letter.channels.${c}`) }))}
          />
          <Select<Direction>
            allowClear
            className="doc-filter-direction"
            style={{ minWidth: 130 }}
            placeholder={t("customers.file.anyDirection")}
            value={value.direction}
            onChange={(direction) => set({ direction })}
            options={DIRECTIONS.map((d) => ({ value: d, label: t(`customers.letter.directions.${d}`) }))}
          />
        </>
      )}
      {kept.level && (
        <Select<number>
          allowClear
          className="doc-filter-level"
          style={{ minWidth: 150 }}
          placeholder={t("customers.file.anyLevel")}
          value={value.escalation_level}
          onChange={(escalation_level) => set({ escalation_level })}
          options={LEVELS.map((n) => ({ value: n, label: t("customers.letter.levelTag", { n, name: t(`customers.letter.levels.${n}`) }) }))}
        />
      )}
    </Space>
  );
}
