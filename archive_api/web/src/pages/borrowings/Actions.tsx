// What the user may do with a borrowing now: approve or reject, return, extend, and for
// archivists hand-out, check-in, missing and revoke. The server decides; refusals are shown.
import { Button, Popconfirm, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useAct } from "../../components/useAct";
import { hoursLeft, type Action, type Borrowing } from "./logic";
import { ReasonModal } from "./ReasonModal";

type Asking = "approve" | "reject" | "revoke" | "missing" | "extend";

interface Props {
  borrowing: Borrowing;
  actions: Set<Action>;
  onChanged: (borrowing: Borrowing) => void;
}

export function Actions({ borrowing, actions, onChanged }: Props) {
  const { t } = useTranslation();
  const { busy, act } = useAct();
  const [asking, setAsking] = useState<Asking | null>(null);
  const url = `/borrowings/${borrowing.id}`;

  const run = async (step: string, done: string, body?: unknown) => {
    const changed = await act(() => api.post<unknown>(`${url}/${step}`, body), t(`borrowings.done.${done}`));
    if (changed !== undefined) {
      setAsking(null);
      // Marking missing answers with the incidents; read the borrowing again for its state.
      onChanged(step === "missing" ? await api.get<Borrowing>(url) : (changed as Borrowing));
    }
  };

  const submit = ({ reason, hours }: { reason?: string; hours?: number }) => {
    if (asking === "extend") void run("extend", "extended", { hours });
    else if (asking === "approve") void run("approve", "approved", { reason: reason ?? null });
    else if (asking === "reject") void run("reject", "rejected", { reason });
    else if (asking === "revoke") void run("revoke", "revoked", { reason });
    else if (asking === "missing") void run("missing", "missing", { reason });
  };

  const confirmed = (action: Action, step: string, done: string, key: string, danger = false) =>
    actions.has(action) && (
      <Popconfirm
        title={t(`borrowings.confirm.${key}`)}
        okText={t(`borrowings.action.${action}`)}
        cancelText={t("borrowings.action.cancel")}
        onConfirm={() => run(step, done)}
      >
        <Button danger={danger} loading={busy}>
          {t(`borrowings.action.${action}`)}
        </Button>
      </Popconfirm>
    );

  const asks = (action: Asking, danger = false, primary = false) =>
    actions.has(action) && (
      <Button danger={danger} type={primary ? "primary" : "default"} onClick={() => setAsking(action)}>
        {t(`borrowings.action.${action}`)}
      </Button>
    );

  return (
    <>
      <Space wrap>
        {asks("approve", false, true)}
        {asks("reject", true)}
        {confirmed("return", "return", "returned", "return")}
        {asks("extend")}
        {confirmed("handOut", "hand-out", "handedOut", "handOut")}
        {confirmed("checkIn", "return", "returned", "checkIn")}
        {asks("missing", true)}
        {asks("revoke", true)}
      </Space>
      <ReasonModal
        open={asking !== null}
        title={asking ? t(`borrowings.action.${asking}`) : ""}
        ask={asking === "extend" ? "hours" : "reason"}
        optional={asking === "approve"}
        max={hoursLeft(borrowing)}
        busy={busy}
        onCancel={() => setAsking(null)}
        onSubmit={submit}
      />
    </>
  );
}
