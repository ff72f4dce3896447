// How a rating was made and what it could not use: its scoring method and reference table with
// their sources, every choice and whether the seeds give it, the data it lacks (no grade then)
// and the grade cap with its reasons, all in the reader's language.
import { Alert, Collapse, Descriptions, Space, Table, Tag, Typography } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { capReasons, choiceValue, figureGapText, indicatorName, listed, localText } from "./methodText";

type Rating = Schemas["Rating"];
type Choice = Schemas["Choice"];
type Shortfall = Schemas["Shortfall"];

/** A shortfall in the reader's words: which statement of which year, or which indicator. */
export function shortfallText(s: Shortfall, t: TFunction): string {
  if (s.kind === "statement")
    return t("credit.method.missingStatement", { year: s.year, statement: t(`credit.type.${s.name}`, { defaultValue: s.name }) });
  if (s.kind === "year") return t("credit.method.partYearOnly", { year: s.year });
  return t("credit.method.missingIndicator", {
    year: s.year,
    indicator: indicatorName(s.name, t),
    // Ratings stored before the figure was kept apart give the reason's own words.
    reason: s.gap ? figureGapText(s.gap, t) : s.reason,
  });
}

function SeedTag({ seed, className }: { seed: boolean; className?: string }) {
  const { t } = useTranslation();
  return seed ? (
    <Tag color="green" className={className}>
      {t("credit.method.seed")}
    </Tag>
  ) : (
    <Tag color="orange" className={className}>
      {t("credit.method.ours")}
    </Tag>
  );
}

interface Props {
  rating: Rating;
  /** Method, table and choices are those of a rating already shown: say only what differs. */
  sameAs?: Rating | null;
}

/** Whether two ratings were made the same way: method, table and scope. */
export function madeAlike(a: Rating, b: Rating | null | undefined): boolean {
  return !!b && a.method === b.method && a.table_name === b.table_name && a.scope === b.scope;
}

export function RatingMethod({ rating, sameAs }: Props) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === "en";
  const { cap } = rating;
  const alike = madeAlike(rating, sameAs);
  const leftOut = Object.entries(rating.left_out ?? {});
  // Ratings stored before these were kept have none of them.
  const shortfalls = rating.shortfalls ?? [];
  return (
    <Space orientation="vertical" className="credit-profile credit-method">
      {shortfalls.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="credit-shortfalls"
          title={t("credit.method.insufficient")}
          description={
            <ul className="credit-list">
              {shortfalls.map((s) => (
                <li key={`${s.kind}-${s.name}-${s.year}`}>{shortfallText(s, t)}</li>
              ))}
            </ul>
          }
        />
      )}
      {cap && (
        <Alert
          type="warning"
          showIcon
          className="credit-cap"
          title={t("credit.method.cap", { grade: cap.grade, uncapped: cap.uncapped_grade ?? "—" })}
          description={
            <ul className="credit-list">
              {capReasons(cap, t, english).map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          }
        />
      )}
      {leftOut.length > 0 && (
        <Alert
          type="info"
          showIcon
          title={t("credit.method.leftOut", {
            indicators: listed(leftOut.map(([i]) => indicatorName(i, t)), english),
          })}
        />
      )}
      {alike ? (
        <Typography.Text type="secondary">{t("credit.method.sameAsSaved")}</Typography.Text>
      ) : (
        <MethodAndChoices rating={rating} />
      )}
    </Space>
  );
}

function MethodAndChoices({ rating }: { rating: Rating }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === "en";
  const { table, scoring } = rating;
  const choices = rating.choices ?? [];
  return (
    <>
      {(rating.method_warnings ?? []).map((w) => (
        <Alert key={w.code} type="warning" showIcon className="credit-method-warning" title={english ? w.message_en : w.message_zh} />
      ))}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          {
            key: "scope",
            label: t("credit.method.scope"),
            children: rating.scope ? t(`credit.scope.${rating.scope}`, { defaultValue: rating.scope }) : "—",
          },
          {
            key: "method",
            label: t("credit.method.method"),
            children: scoring ? (
              <>
                {localText(scoring.title, english)}
                <SeedTag seed={scoring.seed} className="credit-method-note" />
              </>
            ) : (
              (rating.method ?? "—")
            ),
          },
          {
            key: "table",
            label: t("credit.method.table"),
            span: "filled",
            children: (
              <>
                {localText(table.title, english)}
                {table.example ? (
                  <Tag color="red" className="credit-method-note">
                    {t("credit.method.example")}
                  </Tag>
                ) : (
                  table.source && <span className="credit-method-note credit-source-note">{localText(table.source, english)}</span>
                )}
              </>
            ),
          },
        ]}
      />
      <Collapse
        size="small"
        className="credit-choices"
        items={[
          {
            key: "choices",
            label: t("credit.method.choices", { count: choices.length }),
            children: (
              <Table<Choice>
                rowKey="name"
                size="small"
                pagination={false}
                dataSource={choices}
                columns={[
                  { title: t("credit.method.choice"), dataIndex: "name", render: (n: string) => t(`credit.choice.${n}`, { defaultValue: n }) },
                  { title: t("credit.method.value"), key: "value", render: (_, c) => choiceValue(c, rating, t, english) },
                  { title: t("credit.method.source"), key: "source", render: (_, c) => localText(c.source, english) },
                  { title: "", dataIndex: "seed", render: (seed: boolean) => <SeedTag seed={seed} /> },
                ]}
              />
            ),
          },
        ]}
      />
    </>
  );
}
