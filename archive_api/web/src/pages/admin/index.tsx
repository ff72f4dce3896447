// The Administration area: users, departments and the extra policy rules (administrators only;
// the server refuses everyone else, and the refusal is shown).
import { Tabs, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Route, Routes } from "react-router-dom";
import { Departments } from "./Departments";
import { Policies } from "./Policies";
import { Users } from "./Users";

function Administration() {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={3}>{t("admin.title")}</Typography.Title>
      <Tabs
        destroyOnHidden
        items={[
          { key: "users", label: t("admin.tabs.users"), children: <Users /> },
          { key: "departments", label: t("admin.tabs.departments"), children: <Departments /> },
          { key: "policies", label: t("admin.tabs.policies"), children: <Policies /> },
        ]}
      />
    </>
  );
}

export default function Admin() {
  return (
    <Routes>
      <Route index element={<Administration />} />
    </Routes>
  );
}
