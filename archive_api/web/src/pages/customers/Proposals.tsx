// 密级审批: the secrecy proposals of the files you may see; department heads and the marketing
// director approve (the level is applied) or refuse them with a reason, never their own.
import { Button, Card, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { companyTime } from "../../format";
import { usePaged } from "../../hooks";
import { useSession } from "../../session";
import { ReasonModal } from "../borrowings/ReasonModal";
import { MAY } from "./kinds";
import { reasonNeeded } from "./secrecy";

type Proposal = Schemas["ProposalRead"];
type Status = Proposal["status"];
const STATUSES: Status[] = ["pending", "approved", "refused"];

export function Proposals() {
  const { t } = useTranslation();
  const { holds, me } = useSession();
  const [status, setStatus] = useState<Status | "">("pending");
  const proposals = usePaged<Proposal>("/secrecy-proposals", { status: status || undefined });
  const [deciding, setDeciding] = useState<{ proposal: Proposal; approve: boolean } | null>(null);
  const { act, busy } = useAct();
  const mayDecide = holds(...MAY.approveSecrecy);
  const decide = async ({ reason }: { reason?: string }) => {
    if (!deciding) return;
    const { proposal, approve } = deciding;
    const body = { approve, reason: reason ?? null };
    const done = await act(
      () => api.post(`/secrecy-proposals/${proposal.id}/decision`, body),
      t(approve ? "customers.proposal.approved" : "customers.proposal.refused"),
    );
    if (done !== undefined) {
      setDeciding(null);
      proposals.reload();
    }
  };
  const columns: ColumnsType<Proposal> = [
    {
      title: t("customers.proposal.customer"),
      render: (_, p) => <Link to={`/customers/${p.customer_id}`}>{p.customer_name}</Link>,
    },
    {
      title: t("customers.proposal.subject"),
      render: (_, p) => p.document_title ?? t("customers.proposal.customerLevel"),
    },
    {
      title: t("customers.proposal.change"),
      render: (_, p) => (
        <Space size={4}>
          <Tag>{t(`secrecy.${p.current}`)}</Tag>→<Tag color="blue">{t(`secrecy.${p.proposed}`)}</Tag>
        </Space>
      ),
    },
    { title: t("customers.proposal.reason"), dataIndex: "reason" },
    {
      title: t("customers.proposal.proposer"),
      render: (_, p) => `${p.proposed_by} · ${companyTime(p.created_at)}`,
    },
    {
      title: t("customers.proposal.status"),
      render: (_, p) => (
        <Space orientation="vertical" size={2}>
          <Tag className="proposal-status" data-status={p.status}>
            {t(`customers.proposal.statuses.${p.status}`)}
          </Tag>
          {p.decided_by && p.decision_reason && (
            <Typography.Text type="secondary">
              {t("customers.proposal.decided", { who: p.decided_by, reason: p.decision_reason })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: "",
      render: (_, p) =>
        mayDecide &&
        p.status === "pending" &&
        p.proposed_by_id !== me?.id && (
          <Space size={4}>
            <Button size="small" type="primary" className="approve" onClick={() => setDeciding({ proposal: p, approve: true })}>
              {t("customers.proposal.approve")}
            </Button>
            <Button size="small" danger className="refuse" onClick={() => setDeciding({ proposal: p, approve: false })}>
              {t("customers.proposal.refuse")}
            </Button>
          </Space>
        ),
    },
  ];
  const needsReason = deciding
    ? reasonNeeded(deciding.approve, deciding.proposal.current, deciding.proposal.proposed)
    : false;
  const title = !deciding
    ? ""
    : !deciding.approve
      ? t("customers.proposal.refuseTitle")
      : needsReason
        ? t("customers.proposal.approveLowering")
        : t("customers.proposal.approveTitle");
  return (
    <Space orientation="vertical" size={16} className="page secrecy-proposals">
      <Link to="/customers">{t("customers.file.back")}</Link>
      <Space className="page-head" wrap>
        <Typography.Title level={3}>{t("customers.proposal.listTitle")}</Typography.Title>
        <Select<Status | "">
          aria-label={t("customers.proposal.status")}
          className="choice"
          value={status}
          onChange={setStatus}
          options={[
            { value: "", label: t("customers.proposal.all") },
            ...STATUSES.map((s) => ({ value: s, label: t(`customers.proposal.statuses.${s}`) })),
          ]}
        />
      </Space>
      <Problem error={proposals.error} />
      <Card size="small">
        <Table<Proposal>
          rowKey="id"
          columns={columns}
          dataSource={proposals.data?.items ?? []}
          loading={proposals.loading}
          pagination={proposals.pagination}
          locale={{ emptyText: t("customers.proposal.empty") }}
        />
      </Card>
      <ReasonModal
        open={deciding !== null}
        title={title}
        ask="reason"
        optional={!needsReason}
        name="decide-proposal"
        busy={busy}
        onCancel={() => setDeciding(null)}
        onSubmit={(value) => void decide(value)}
      />
    </Space>
  );
}
