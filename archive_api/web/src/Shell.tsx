// The frame around every page: the menu follows the user's roles, so nobody is shown a door
// the server would refuse (the server still refuses it).
import {
  AuditOutlined,
  ClockCircleOutlined,
  DesktopOutlined,
  FileProtectOutlined,
  FolderOpenOutlined,
  LineChartOutlined,
  LogoutOutlined,
  ReadOutlined,
  SettingOutlined,
  SwapOutlined,
} from "@ant-design/icons";
import { Button, Layout, Menu, Space, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router-dom";
import type { Role } from "./api/types";
import { LanguageSwitch } from "./LanguageSwitch";
import { SearchBox } from "./SearchBox";
import { useSession } from "./session";

interface Door {
  path: string;
  label: string;
  icon: ReactNode;
  roles: Role[] | "everyone";
}

export const WORKERS: Role[] = [
  "sales",
  "sales_manager",
  "credit_manager",
  "archivist",
  "dept_head",
  "marketing_director",
];

export const DOORS: Door[] = [
  { path: "/", label: "nav.desk", icon: <DesktopOutlined />, roles: "everyone" },
  { path: "/customers", label: "nav.customers", icon: <FolderOpenOutlined />, roles: WORKERS },
  { path: "/borrowings", label: "nav.borrowings", icon: <ReadOutlined />, roles: WORKERS },
  { path: "/contracts", label: "nav.contracts", icon: <FileProtectOutlined />, roles: WORKERS },
  {
    path: "/handovers",
    label: "nav.handovers",
    icon: <SwapOutlined />,
    roles: ["dept_head", "archivist", "admin", "sales", "sales_manager", "credit_manager"],
  },
  { path: "/credit", label: "nav.credit", icon: <LineChartOutlined />, roles: ["credit_manager"] },
  { path: "/retention", label: "nav.retention", icon: <ClockCircleOutlined />, roles: ["archivist", "dept_head"] },
  { path: "/audit", label: "nav.audit", icon: <AuditOutlined />, roles: ["auditor"] },
  { path: "/admin", label: "nav.admin", icon: <SettingOutlined />, roles: ["admin"] },
];

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { me, holds, signOut } = useSession();
  const location = useLocation();
  const doors = DOORS.filter((door) => door.roles === "everyone" || holds(...door.roles));
  const current = doors
    .filter((door) => door.path === "/" ? location.pathname === "/" : location.pathname.startsWith(door.path))
    .map((door) => door.path);

  return (
    <Layout className="shell">
      <Layout.Sider breakpoint="lg" collapsedWidth={64} theme="light" width={200}>
        <div className="brand">{t("app.name")}</div>
        <Menu
          mode="inline"
          selectedKeys={current}
          items={doors.map((door) => ({
            key: door.path,
            icon: door.icon,
            label: <Link to={door.path}>{t(door.label)}</Link>,
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="shell-header">
          {/* Those who keep or use customer files search them; others would find nothing. */}
          {holds(...WORKERS) ? <SearchBox /> : <span />}
          <Space size="middle">
            <Link to="/account" title={t("nav.account")}>
              <Typography.Text strong>{me?.display_name}</Typography.Text>
            </Link>
            <LanguageSwitch />
            <Button icon={<LogoutOutlined />} onClick={() => void signOut()}>
              {t("nav.signOut")}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="shell-content">{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
