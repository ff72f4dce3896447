// 客户状态: where the customer stands, and the moves through its lifecycle open to the reader
// (the server says which), each with a reason.
import { Button, Space, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useAct } from "../../components/useAct";
import { ReasonModal } from "../borrowings/ReasonModal";
import { STATUS_COLOURS } from "./kinds";
import type { CustomerStatus } from "./kinds";
import type { Detail } from "./master";

export function StatusTag({ status }: { status: CustomerStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status]} className="customer-status" data-status={status}>
      {t(`customers.status.${status}`)}
    </Tag>
  );
}

export function Status({ customer, onChanged }: { customer: Detail; onChanged: () => void }) {
  const { t } = useTranslation();
  const { act, busy } = useAct();
  const [moving, setMoving] = useState<CustomerStatus | null>(null);
  const move = async ({ reason }: { reason?: string }) => {
    if (!moving) return;
    const named = t(`customers.status.${moving}`);
    const done = await act(
      () => api.put(`/customers/${customer.id}/status`, { status: moving, reason }),
      t("customers.lifecycle.done", { status: named }),
    );
    if (done) {
      setMoving(null);
      onChanged();
    }
  };
  return (
    <Space wrap className="lifecycle">
      <StatusTag status={customer.status} />
      {customer.status_choices.map((to) => (
        <Button key={to} size="small" className={`move-${to}`} onClick={() => setMoving(to)}>
          {t("customers.lifecycle.move", { status: t(`customers.status.${to}`) })}
        </Button>
      ))}
      <ReasonModal
        open={moving !== null}
        title={moving ? t("customers.lifecycle.move", { status: t(`customers.status.${moving}`) }) : ""}
        ask="reason"
        busy={busy}
        onCancel={() => setMoving(null)}
        onSubmit={move}
      />
    </Space>
  );
}
