// What an auditor keeps an eye on besides the events: those quarantined because their bodies
// could not be indexed, and a signed checkpoint of the chain to keep outside the database.
import { Button, Descriptions, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { companyTime } from "../../format";
import { usePaged } from "../../hooks";

type Quarantined = Schemas["QuarantineRead"];
type Checkpoint = Schemas["CheckpointRead"];

export function Quarantine() {
  const { t } = useTranslation();
  const listed = usePaged<Quarantined>("/audit/quarantine");
  return (
    <>
      <Problem error={listed.error} />
      <Table<Quarantined>
        rowKey="position"
        size="small"
        loading={listed.loading}
        dataSource={listed.data?.items ?? []}
        pagination={listed.pagination}
        locale={{ emptyText: t("audit.quarantine.none") }}
        columns={[
          { title: t("audit.column.position"), dataIndex: "position", width: 100 },
          { title: t("audit.quarantine.reason"), dataIndex: "reason" },
          { title: t("audit.detail.chain"), dataIndex: "chain", ellipsis: true },
        ]}
      />
    </>
  );
}

export function CheckpointPanel() {
  const { t } = useTranslation();
  const [point, setPoint] = useState<Checkpoint | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fetchPoint = async () => {
    setBusy(true);
    try {
      setPoint(await api.get<Checkpoint>("/audit/checkpoint"));
      setError(null);
    } catch (failed) {
      setError(failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Typography.Paragraph type="secondary">{t("audit.checkpoint.hint")}</Typography.Paragraph>
      <Button type="primary" loading={busy} onClick={() => void fetchPoint()}>
        {t("audit.checkpoint.fetch")}
      </Button>
      <Problem error={error} />
      {point && (
        <Descriptions column={1} size="small" bordered style={{ marginTop: 16 }}>
          <Descriptions.Item label={t("audit.checkpoint.size")}>{point.size}</Descriptions.Item>
          <Descriptions.Item label={t("audit.checkpoint.at")}>{companyTime(point.at)}</Descriptions.Item>
          <Descriptions.Item label={t("audit.checkpoint.head")}>
            <Typography.Text code>{point.head}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t("audit.checkpoint.signature")}>
            <Typography.Paragraph copyable={{ text: JSON.stringify({ body: point.body, signature: point.signature }) }}>
              <Typography.Text code>{point.signature}</Typography.Text>
            </Typography.Paragraph>
          </Descriptions.Item>
        </Descriptions>
      )}
    </>
  );
}
