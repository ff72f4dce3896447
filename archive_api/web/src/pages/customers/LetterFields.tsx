// A letter's details: typed in beside a file being uploaded, and shown on the document in the file.
import { DatePicker, Input, Select, Space, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import type { DocType } from "./kinds";
import { CHANNELS, DIRECTIONS, draftOf, hasLetter, keeps, LEVELS } from "./letters";
import type { Channel, Direction, LetterDraft } from "./letters";

interface InputProps {
  type: DocType;
  draft: LetterDraft;
  disabled?: boolean;
  /** Names the file in each field's label, so that rows of an upload are told apart. */
  of: string;
  onChange: (patch: Partial<LetterDraft>) => void;
}

/** The inputs of a letter's details, for a type that keeps them (nothing otherwise). */
export function LetterInputs({ type, draft, disabled, of, onChange }: InputProps) {
  const { t } = useTranslation();
  const kept = keeps(type);
  if (!kept.letter) return null;
  const label = (name: string) => `${t(`customers.letter.${name}`)}: ${of}`;
  return (
    <Space wrap size={4} className="letter-inputs">
      <Select<Channel>
        aria-label={label("channel")}
        className="letter-channel"
        placeholder={t("customers.letter.channel")}
        value={draft.channel ?? undefined}
        allowClear
        disabled={disabled}
        onChange={(channel) => onChange({ channel: channel ?? null })}
        options={CHANNELS.map((value) => ({ value, label: t(`customers.letter.channels.${value}`) }))}
        popupMatchSelectWidth={false}
      />
      <Select<Direction>
        aria-label={label("direction")}
        className="letter-direction"
        placeholder={t("customers.letter.direction")}
        value={draft.direction ?? undefined}
        allowClear
        disabled={disabled}
        onChange={(direction) => onChange({ direction: direction ?? null })}
        options={DIRECTIONS.map((value) => ({ value, label: t(`customers.letter.directions.${value}`) }))}
      />
      <Input
        aria-label={label("sender")}
        className="letter-sender"
        placeholder={t("customers.letter.sender")}
        value={draft.sender ?? ""}
        maxLength={200}
        disabled={disabled}
        onChange={(e) => onChange({ sender: e.target.value })}
      />
      <Input
        aria-label={label("recipient")}
        className="letter-recipient"
        placeholder={t("customers.letter.recipient")}
        value={draft.recipient ?? ""}
        maxLength={200}
        disabled={disabled}
        onChange={(e) => onChange({ recipient: e.target.value })}
      />
      <DatePicker
        aria-label={label("date")}
        className="letter-date"
        placeholder={t("customers.letter.date")}
        value={draft.issued_on ? dayjs(draft.issued_on) : null}
        disabled={disabled}
        onChange={(day) => onChange({ issued_on: day ? day.format("YYYY-MM-DD") : null })}
      />
      {kept.level && (
        <Select<number>
          aria-label={label("level")}
          className="letter-level"
          placeholder={t("customers.letter.level")}
          value={draft.escalation_level ?? undefined}
          allowClear
          disabled={disabled}
          onChange={(level) => onChange({ escalation_level: level ?? null })}
          options={LEVELS.map((n) => ({ value: n, label: levelName(t, n) }))}
          popupMatchSelectWidth={false}
        />
      )}
    </Space>
  );
}

type Translate = ReturnType<typeof useTranslation>["t"];

/** A level as named in 004 附件四, with its number. */
export function levelName(t: Translate, n: number): string {
  return t("customers.letter.levelTag", { n, name: t(`customers.letter.levels.${n}`) });
}

/** A document's letter details at a glance: channel, direction, level, who to whom, date. */
export function LetterSummary({ document }: { document: Schemas["DocumentRead"] }) {
  const { t } = useTranslation();
  if (!hasLetter(document) && !document.issued_on) return null;
  const d = draftOf(document);
  return (
    <Space size={4} wrap className="letter-summary">
      {d.channel && <Tag className="letter-channel">{t(`customers.letter.channels.${d.channel}`)}</Tag>}
      {d.direction && <Tag className="letter-direction">{t(`customers.letter.directions.${d.direction}`)}</Tag>}
      {d.escalation_level !== null && (
        <Tag color={d.escalation_level >= 4 ? "red" : "orange"} className="letter-level">
          {levelName(t, d.escalation_level)}
        </Tag>
      )}
      {(d.sender || d.recipient) && (
        <Typography.Text className="letter-parties">
          {[d.sender, d.recipient ? t("customers.letter.to", { who: d.recipient }) : null].filter(Boolean).join(" ")}
        </Typography.Text>
      )}
      {d.issued_on && <Typography.Text type="secondary">{d.issued_on}</Typography.Text>}
    </Space>
  );
}
