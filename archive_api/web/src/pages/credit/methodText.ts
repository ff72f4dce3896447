// A rating's method in the reader's language: the policy's texts come in both languages, the
// codes it names (statements, indicators, warnings) are translated by the catalogue.
import type { TFunction } from "i18next";
import type { Schemas } from "../../api/types";
import { formatPercent } from "./logic";

type Rating = Schemas["Rating"];
type Bilingual = Schemas["Bilingual"];

/** The text in the reader's language. */
export function localText(text: Bilingual, english: boolean): string {
  return english ? text.en : text.zh;
}

/** Items listed as the reader's language lists them. */
export function listed(items: string[], english: boolean): string {
  return items.join(english ? ", " : "、");
}

/** An indicator's name; one the catalogue lacks is shown by its code (and reported). */
export function indicatorName(code: string, t: TFunction): string {
  return t(`credit.indicator.${code}`, { defaultValue: code });
}

/** The statement figure an indicator lacks, in the reader's words. */
export function figureGapText(gap: Schemas["FigureGap"], t: TFunction): string {
  const item = t(`credit.item.${gap.code}`, { defaultValue: gap.code });
  return t(gap.blank ? "credit.method.figureBlank" : "credit.method.figureMissing", { item, year: gap.year });
}

/** Why an indicator scored without a value: the figure it lacks where the rating says which,
 * else the rating's own words. */
export function scoreReason(score: Schemas["IndicatorScore"], t: TFunction): string {
  return score.gap ? figureGapText(score.gap, t) : (score.reason ?? "");
}

/** A choice's value in the reader's words, from what the rating stored; the value as the policy
 * writes it where there is nothing to translate (numbers, grades). */
export function choiceValue(choice: Schemas["Choice"], rating: Rating, t: TFunction, english: boolean): string {
  const { policy } = rating;
  const coverage = policy.coverage;
  switch (choice.name) {
    case "method":
      return rating.scoring && rating.method === choice.value ? localText(rating.scoring.title, english) : choice.value;
    case "reference_table":
      return rating.table_name === choice.value ? localText(rating.table.title, english) : choice.value;
    case "required_statements":
      if (!coverage) return choice.value;
      return listed(coverage.required_statements.map((s) => t(`credit.type.${s}`, { defaultValue: s })), english);
    case "required_indicators":
      if (!coverage) return choice.value;
      return listed(coverage.required_indicators.map((i) => indicatorName(i, t)), english);
    case "grade_cap":
      if (!coverage) return choice.value;
      return t("credit.method.capRule", { grade: coverage.capped_grade, years: coverage.history_years });
    case "indicator_weights": {
      const weights = Object.entries(policy.indicator_weights ?? {});
      if (weights.length === 0) return t("credit.method.equalWeights");
      return listed(weights.map(([i, w]) => `${indicatorName(i, t)} ${w}`), english);
    }
    case "warning_limits": {
      const limits = Object.entries(policy.rules?.warning_limits ?? {});
      return listed(
        limits.map(([code, share]) =>
          t("credit.method.warningKeeps", {
            warning: t(`credit.warningName.${code}`, { defaultValue: code }),
            share: formatPercent(share, 0),
          }),
        ),
        english,
      );
    }
    default:
      // Numbers and grades, listed as the reader's language lists them.
      return listed(choice.value.split(", "), english);
  }
}

/** Why the year before the full years on file does not count, where some of it is on file: a
 * part of a year, or the statements it lacks (a prior-year column printed empty). */
function historyGaps(gaps: Schemas["Shortfall"][], t: TFunction, english: boolean): string[] {
  const years = [...new Set(gaps.map((g) => g.year))];
  return years.map((year) => {
    const of = gaps.filter((g) => g.year === year);
    if (of.some((g) => g.kind === "year")) return t("credit.method.capPartYear", { year });
    const statements = of.map((g) => t(`credit.type.${g.name}`, { defaultValue: g.name }));
    return t("credit.method.capNoStatements", { year, statements: listed(statements, english) });
  });
}

/** Why the grade is capped, in the reader's words; a cap stored before its reasons were kept
 * apart from their words gives those words. */
export function capReasons(cap: Schemas["GradeCap"], t: TFunction, english: boolean): string[] {
  if (cap.history_years == null || cap.required_years == null) return cap.reasons;
  const reasons = [];
  if (cap.history_years < cap.required_years)
    reasons.push(t("credit.method.capHistory", { years: cap.history_years, required: cap.required_years }));
  reasons.push(...historyGaps(cap.history_gaps ?? [], t, english));
  const missing = cap.missing ?? [];
  if (missing.length > 0)
    reasons.push(t("credit.method.capMissing", { indicators: listed(missing.map((i) => indicatorName(i, t)), english) }));
  return reasons;
}
