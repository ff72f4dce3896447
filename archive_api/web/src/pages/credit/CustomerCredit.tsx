// One customer for the credit manager: its statements under review, and its credit profile.
import { ArrowLeftOutlined } from "@ant-design/icons";
import { Space, Tabs, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch } from "../../hooks";
import { Profile } from "./Profile";
import { Statements } from "./Statements";

export function CustomerCredit() {
  const { t } = useTranslation();
  const { customerId = "" } = useParams();
  const [search, setSearch] = useSearchParams();
  const customer = useFetch<Schemas["CustomerRead"]>(`/customers/${customerId}`);
  const tab = search.get("tab") === "profile" ? "profile" : "statements";
  return (
    <>
      <Space orientation="vertical" size={4} className="credit-head">
        <Link to="/credit">
          <ArrowLeftOutlined /> {t("credit.customer.back")}
        </Link>
        <Typography.Title level={3} translate="no">{customer.data?.name ?? "\u00a0"}</Typography.Title>
      </Space>
      <Problem error={customer.error} />
      {customer.data && (
        <Tabs
          activeKey={tab}
          onChange={(key) => setSearch(key === "profile" ? { tab: key } : {}, { replace: true })}
          destroyOnHidden
          items={[
            {
              key: "statements",
              label: t("credit.customer.statements"),
              children: <Statements customerId={customerId} />,
            },
            {
              key: "profile",
              label: t("credit.customer.profile"),
              children: <Profile customerId={customerId} />,
            },
          ]}
        />
      )}
    </>
  );
}
