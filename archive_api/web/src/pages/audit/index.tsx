// The Audit area: the log's events, its quarantine and its signed checkpoint (auditors only;
// the server refuses everyone else, and the refusal is shown).
import { Tabs, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Route, Routes } from "react-router-dom";
import { CheckpointPanel, Quarantine } from "./Integrity";
import { Search } from "./Search";

function AuditLog() {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={3}>{t("audit.title")}</Typography.Title>
      <Tabs
        items={[
          { key: "events", label: t("audit.tabs.events"), children: <Search /> },
          { key: "quarantine", label: t("audit.tabs.quarantine"), children: <Quarantine /> },
          { key: "checkpoint", label: t("audit.tabs.checkpoint"), children: <CheckpointPanel /> },
        ]}
      />
    </>
  );
}

export default function Audit() {
  return (
    <Routes>
      <Route index element={<AuditLog />} />
    </Routes>
  );
}
