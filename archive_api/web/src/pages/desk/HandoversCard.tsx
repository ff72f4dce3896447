// The desk's card of the handovers I am part of: open ones first, with whose turn it is.
import { Card, List, Space, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Page } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch } from "../../hooks";
import type { Handover } from "../handovers/model";
import { nameOf } from "../handovers/model";

export function HandoversCard() {
  const { t } = useTranslation();
  const found = useFetch<Page<Handover>>("/handovers?status=open&limit=5");
  return (
    <Card
      title={t("desk.handovers")}
      size="small"
      extra={<Link to="/handovers">{t("desk.all")}</Link>}
    >
      <Problem error={found.error} />
      <List
        dataSource={found.data?.items ?? []}
        loading={found.loading}
        locale={{ emptyText: t("desk.empty") }}
        renderItem={(h) => (
          <List.Item>
            <List.Item.Meta
              title={<Link to={`/handovers/${h.id}`}>{h.number}</Link>}
              description={`${nameOf(h, h.employee_id)} → ${nameOf(h, h.successor_id)} · ${h.planned_on}`}
            />
            <Space size={4}>
              <Tag color="blue">{t(`status.${h.status}`)}</Tag>
              {(h.my_capacities ?? []).length > 0 && <Tag color="orange">{t("handovers.yourTurn")}</Tag>}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
