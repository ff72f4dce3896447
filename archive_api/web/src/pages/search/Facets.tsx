// The counts of all matches by type and by year; a click narrows the search to one of them,
// and a second click takes it off again.
import { Card, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";

type Facet = Schemas["Facet"];

interface Props {
  title: string;
  facets: Facet[];
  chosen: string | null;
  label: (value: string) => string;
  onChoose: (value: string | null) => void;
}

export function Facets({ title, facets, chosen, label, onChoose }: Props) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={title} className="facets">
      {facets.length === 0 ? (
        <Typography.Text type="secondary">{t("search.facet.none")}</Typography.Text>
      ) : (
        <ul aria-label={title}>
          {facets.map((facet) => {
            const on = facet.value === chosen;
            return (
              <li key={facet.value}>
                <button
                  type="button"
                  className={on ? "facet facet-chosen" : "facet"}
                  aria-pressed={on}
                  title={on ? t("search.facet.chosen") : undefined}
                  onClick={() => onChoose(on ? null : facet.value)}
                >
                  <span className="facet-label">{label(facet.value)}</span>
                  <span className="facet-count">{facet.count}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
