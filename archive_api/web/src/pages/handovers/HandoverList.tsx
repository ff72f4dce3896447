// 交接列表: the handovers I am part of or may see, a page at a time from the server.
import { PlusOutlined } from "@ant-design/icons";
import { Button, Form, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { Problem } from "../../components/Problem";
import { companyTime } from "../../format";
import { usePaged } from "../../hooks";
import { useSession } from "../../session";
import type { Handover } from "./model";
import { nameOf } from "./model";

const STATUSES = ["open", "completed", "cancelled"] as const;
export const STATUS_COLOR: Record<string, string> = {
  open: "blue",
  completed: "green",
  cancelled: "default",
};

export function HandoverList() {
  const { t } = useTranslation();
  const { holds } = useSession();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string | undefined>(undefined);
  const paged = usePaged<Handover>("/handovers", { status });

  return (
    <>
      <Space className="handovers-head" wrap>
        <Typography.Title level={3}>{t("handovers.list")}</Typography.Title>
        {holds("dept_head", "admin") && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/handovers/new")}>
            {t("handovers.new")}
          </Button>
        )}
      </Space>
      <Form layout="inline" className="handovers-filter">
        <Form.Item label={t("handovers.filterStatus")} htmlFor="handover-status">
          <Select
            id="handover-status"
            allowClear
            className="handovers-status"
            placeholder={t("handovers.allStatuses")}
            value={status}
            onChange={(value?: string) => setStatus(value)}
            options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
        </Form.Item>
      </Form>
      <Problem error={paged.error} />
      <Table<Handover>
        rowKey="id"
        size="middle"
        loading={paged.loading}
        dataSource={paged.data?.items ?? []}
        pagination={paged.pagination}
        columns={[
          {
            title: t("handovers.number"),
            dataIndex: "number",
            render: (number: string, h) => <Link to={`/handovers/${h.id}`}>{number}</Link>,
          },
          { title: t("handovers.employee"), render: (_, h) => nameOf(h, h.employee_id) },
          { title: t("handovers.successor"), render: (_, h) => nameOf(h, h.successor_id) },
          { title: t("handovers.plannedOn"), dataIndex: "planned_on" },
          {
            title: t("handovers.status"),
            render: (_, h) => (
              <Space size={4} wrap>
                <Tag color={STATUS_COLOR[h.status]}>{t(`status.${h.status}`)}</Tag>
                {(h.my_capacities ?? []).length > 0 && (
                  <Tag color="orange">{t("handovers.yourTurn")}</Tag>
                )}
              </Space>
            ),
          },
          { title: t("handovers.openedAt"), render: (_, h) => companyTime(h.created_at) },
        ]}
      />
    </>
  );
}
