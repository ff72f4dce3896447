// The desk's card of my deadlines: of the files I keep or head the department of, soonest first.
import { Card, List, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { Problem } from "../../components/Problem";
import { useFetch } from "../../hooks";
import { DeadlineName, DeadlineState } from "../customers/Deadlines";
import type { Deadline } from "../customers/Deadlines";

export function DeadlinesCard() {
  const { t } = useTranslation();
  const found = useFetch<Deadline[]>("/deadlines/mine");
  return (
    <Card title={t("customers.deadlines.mine")} size="small" className="my-deadlines">
      <Problem error={found.error} />
      <List
        dataSource={found.data ?? []}
        loading={found.loading}
        locale={{ emptyText: t("customers.deadlines.none") }}
        renderItem={(d) => (
          <List.Item>
            <List.Item.Meta
              title={
                <Link to={`/customers/${d.customer_id}`} translate="no">
                  {d.customer_name}
                </Link>
              }
              description={<DeadlineName deadline={d} />}
            />
            <Space size="small">
              <DeadlineState deadline={d} />
              <Typography.Text type="secondary">{t("customers.deadlines.dueOn", { day: d.due_on })}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
