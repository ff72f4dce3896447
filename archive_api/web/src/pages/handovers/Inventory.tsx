// 交接清单: everything in the employee's custody, live while open and frozen once complete.
import { Badge, Card, Table, Tabs, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { companyTime } from "../../format";
import type { Handover, Part } from "./model";
import { describeHeld } from "./model";

type Held = Schemas["Held"];

const PARTS: [Part, string][] = [
  ["customers", "customers"],
  ["contracts", "contracts"],
  ["unfiled_documents", "unfiled"],
  ["open_borrowings", "borrowings"],
  ["originals_out", "originals"],
  ["tokens", "tokens"],
];
const BLOCKING = new Set<Part>(["open_borrowings", "originals_out"]);

export function Inventory({ handover }: { handover: Handover }) {
  const { t } = useTranslation();
  const live = handover.status === "open";
  return (
    <Card
      size="small"
      title={t("handovers.inventory.title")}
      extra={
        <Typography.Text type="secondary">
          {t(live ? "handovers.inventory.live" : "handovers.inventory.frozen")}
        </Typography.Text>
      }
    >
      <Tabs
        items={PARTS.map(([part, word]) => {
          const rows = handover.inventory[part] ?? [];
          const alarm = live && BLOCKING.has(part) && rows.length > 0;
          return {
            key: part,
            label: (
              <span>
                {t(`handovers.inventory.${word}`)}{" "}
                <Badge count={rows.length} showZero color={alarm ? "red" : "blue"} />
              </span>
            ),
            children: (
              <Table<Held>
                rowKey="id"
                size="small"
                dataSource={rows}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                locale={{ emptyText: t("handovers.inventory.empty") }}
                columns={[
                  {
                    title: t("handovers.inventory.label"),
                    // A token without a name is listed by its kind, a code like the detail.
                    render: (_, h) =>
                      part === "tokens" && h.label === h.detail ? describeHeld(part, h.label, t) : h.label,
                  },
                  {
                    title: t("handovers.inventory.detail"),
                    render: (_, h) => describeHeld(part, h.detail, t),
                  },
                  { title: t("handovers.inventory.at"), render: (_, h) => companyTime(h.at) },
                ]}
              />
            ),
          };
        })}
      />
    </Card>
  );
}
