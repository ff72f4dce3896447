// The desk's card of credit warnings: of the customers in my custody, or of all I may rate.
import { Card, List, Segmented, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Page } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch, withQuery } from "../../hooks";
import type { Schemas } from "../../api/types";

type Warning = Schemas["CustomerWarning"];

export function WarningsCard() {
  const { t, i18n } = useTranslation();
  const [scope, setScope] = useState<"custody" | "all">("custody");
  const found = useFetch<Page<Warning>>(withQuery("/warnings", { scope, limit: 10 }));
  return (
    <Card
      title={t("desk.warnings")}
      size="small"
      extra={
        <Segmented
          size="small"
          value={scope}
          onChange={(value) => setScope(value as "custody" | "all")}
          options={[
            { value: "custody", label: t("desk.warningsMine") },
            { value: "all", label: t("desk.warningsAll") },
          ]}
        />
      }
    >
      <Problem error={found.error} />
      <List
        dataSource={found.data?.items ?? []}
        loading={found.loading}
        locale={{ emptyText: t("desk.empty") }}
        renderItem={(w) => (
          <List.Item>
            <List.Item.Meta
              title={w.customer_name}
              description={i18n.language === "en" ? w.message_en : w.message_zh}
            />
            <Tag color="red">{t("desk.warning")}</Tag>
          </List.Item>
        )}
      />
    </Card>
  );
}
