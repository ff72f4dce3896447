// One event in full: who, what, on which customer and document, by which rule, from where,
// and the exact JSON that was chained.
import { Alert, Descriptions, Drawer, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { companyTime } from "../../format";
import { useActionName } from "./actionName";

type Event = Schemas["EventRead"];

const text = (value: unknown): string => (typeof value === "string" ? value : "");

function part(event: Event["event"], name: string): Record<string, unknown> {
  const found = event?.[name];
  return found && typeof found === "object" ? (found as Record<string, unknown>) : {};
}

export function EventDetails({ event, onClose }: { event: Event; onClose: () => void }) {
  const { t } = useTranslation();
  const actionName = useActionName();
  const body = event.event;
  const actor = part(body, "actor");
  const target = part(body, "target");
  const decision = part(body, "decision");
  const client = part(body, "client");
  return (
    <Drawer open title={t("audit.detail.title")} size={640} onClose={onClose}>
      {event.quarantined && (
        <Alert type="warning" showIcon title={t("audit.detail.quarantined", { reason: event.quarantined })} />
      )}
      {body ? (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t("audit.column.position")}>{event.position}</Descriptions.Item>
          <Descriptions.Item label={t("audit.column.at")}>{companyTime(text(body.at))}</Descriptions.Item>
          <Descriptions.Item label={t("audit.column.actor")}>
            {event.actor_name ?? text(actor.username)}
            {actor.username ? ` (${text(actor.username)})` : ""}
          </Descriptions.Item>
          <Descriptions.Item label={t("audit.column.action")}>{actionName(text(body.action))}</Descriptions.Item>
          <Descriptions.Item label={t("audit.column.outcome")}>
            {t(`audit.outcome.${text(body.outcome)}`, { defaultValue: text(body.outcome) })}
          </Descriptions.Item>
          <Descriptions.Item label={t("audit.column.customer")}>
            {event.customer_name ?? text(target.customer)}
          </Descriptions.Item>
          <Descriptions.Item label={t("audit.column.document")}>{text(target.document)}</Descriptions.Item>
          <Descriptions.Item label={t("audit.detail.rule")}>{text(decision.rule)}</Descriptions.Item>
          <Descriptions.Item label={t("audit.column.address")}>{text(client.address)}</Descriptions.Item>
          <Descriptions.Item label={t("audit.detail.chain")}>
            <Typography.Text code copyable>
              {event.chain}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      ) : (
        <Alert type="warning" title={t("audit.detail.unreadable")} />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t("audit.detail.body")}
      </Typography.Title>
      <pre className="audit-body">{JSON.stringify(body, null, 2)}</pre>
    </Drawer>
  );
}
