// 销毁申请: one disposal request — its items, the two approvals (archivist and department head,
// never the requester), execution by an archivist, and the certificate once executed.
import { DownloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Popconfirm, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { companyTime } from "../../format";
import { useFetch } from "../../hooks";
import { useSession } from "../../session";
import { ReasonModal } from "../borrowings/ReasonModal";
import { STATUS_COLOURS } from "./Disposals";
import "./retention.css";

type Disposal = Schemas["DisposalRead"];
type Item = Schemas["DisposalItemRead"];

export function DisposalPage() {
  const { t } = useTranslation();
  const { disposalId } = useParams();
  const { me, holds } = useSession();
  const fetched = useFetch<Disposal>(`/disposals/${disposalId}`);
  const { act, busy } = useAct();
  const [refusing, setRefusing] = useState(false);
  const disposal = fetched.data;
  if (!disposal) return <Problem error={fetched.error} />;
  const url = `/disposals/${disposal.id}`;
  const decide = async (approve: boolean, reason?: string) => {
    const done = t(approve ? "retention.decision.approved" : "retention.decision.refused");
    if (await act(() => api.post(`${url}/decision`, { approve, reason }), done)) {
      setRefusing(false);
      fetched.reload();
    }
  };
  const execute = async () => {
    if (await act(() => api.post(`${url}/execute`), t("retention.execute.done"))) fetched.reload();
  };
  const decided = disposal.approvals.some((a) => a.approver_id === me?.id);
  const mayDecide =
    disposal.status === "pending" && disposal.requester_id !== me?.id && !decided && holds("archivist", "dept_head");
  const mayExecute = ["approved", "executing"].includes(disposal.status) && holds("archivist");
  const columns: ColumnsType<Item> = [
    {
      title: t("retention.customer"),
      key: "customer",
      render: (_, i) => (
        <Link to={`/customers/${i.customer_id}`} translate="no">
          {i.customer_name}
        </Link>
      ),
    },
    {
      title: t("retention.document"),
      key: "title",
      render: (_, i) => (i.title === null ? <Tag>{t("retention.tombstone")}</Tag> : <span translate="no">{i.title}</span>),
    },
    { title: t("retention.type"), dataIndex: "doc_type", render: (type: string) => t(`customers.docType.${type}`) },
    {
      title: t("retention.outcome.title"),
      key: "outcome",
      render: (_, i) => (
        <Space orientation="vertical" size={2}>
          {i.outcome ? <Tag color={i.outcome === "disposed" ? "green" : "red"}>{t(`retention.outcome.${i.outcome}`)}</Tag> : "—"}
          {i.kept_until && (
            <Typography.Text type="secondary">{t("retention.outcome.locked", { until: companyTime(i.kept_until) })}</Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: "SHA-256",
      key: "sha256",
      render: (_, i) =>
        i.versions.map((v) => (
          <Typography.Text key={v.version} code className="disposal-sha">
            v{v.version} {v.sha256}
          </Typography.Text>
        )),
    },
  ];
  return (
    <Space orientation="vertical" size={16} className="page disposal">
      <Space wrap className="disposal-heading">
        <Typography.Title level={3}>
          {t("retention.requests.one")} {disposal.number}
        </Typography.Title>
        <Tag color={STATUS_COLOURS[disposal.status]} className="disposal-state">
          {t(`retention.status.${disposal.status}`)}
        </Tag>
        <Link to="/retention/disposals">{t("retention.requests.title")}</Link>
      </Space>
      <Card size="small">
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t("retention.requests.requester")}>
            {disposal.requester_name} · {companyTime(disposal.created_at)}
          </Descriptions.Item>
          <Descriptions.Item label={t("retention.requests.reason")}>{disposal.reason}</Descriptions.Item>
          {disposal.approvals.map((a) => (
            <Descriptions.Item key={a.role} label={t(`retention.capacity.${a.role}`)}>
              <Space wrap>
                <Tag color={a.approved ? "green" : "red"}>{t(a.approved ? "retention.decision.approve" : "retention.decision.refuse")}</Tag>
                {a.approver_name} · {companyTime(a.decided_at)}
                {a.reason && <Typography.Text type="secondary">{a.reason}</Typography.Text>}
              </Space>
            </Descriptions.Item>
          ))}
          {disposal.awaiting.map((role) => (
            <Descriptions.Item key={role} label={t(`retention.capacity.${role}`)}>
              <Typography.Text type="secondary">{t("retention.decision.awaited")}</Typography.Text>
            </Descriptions.Item>
          ))}
          {disposal.executed_at && (
            <Descriptions.Item label={t("retention.execute.by")}>
              {disposal.executed_by_name} · {companyTime(disposal.executed_at)}
            </Descriptions.Item>
          )}
          {disposal.certificate_sha256 && (
            <Descriptions.Item label={t("retention.certificate.sha256")}>
              <Typography.Text code copyable className="certificate-sha">
                {disposal.certificate_sha256}
              </Typography.Text>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {disposal.status === "executing" && <Alert type="warning" showIcon title={t("retention.execute.unfinished")} />}
      <Space wrap>
        {mayDecide && (
          <>
            <Button type="primary" className="disposal-approve" loading={busy} onClick={() => void decide(true)}>
              {t("retention.decision.approve")}
            </Button>
            <Button danger className="disposal-refuse" onClick={() => setRefusing(true)}>
              {t("retention.decision.refuse")}
            </Button>
          </>
        )}
        {mayExecute && (
          <Popconfirm
            title={t("retention.execute.confirm")}
            description={t("retention.execute.warning")}
            okText={t("retention.execute.button")}
            cancelText={t("borrowings.action.cancel")}
            okButtonProps={{ danger: true, loading: busy, className: "disposal-execute-confirm" }}
            onConfirm={() => execute()}
          >
            <Button type="primary" danger className="disposal-execute" loading={busy}>
              {t("retention.execute.button")}
            </Button>
          </Popconfirm>
        )}
        {disposal.certificate_sha256 && (
          <Button
            icon={<DownloadOutlined />}
            className="disposal-certificate"
            href={`/api/v1${url}/certificate.pdf`}
            download={`disposal-${disposal.number}.pdf`}
          >
            {t("retention.certificate.download")}
          </Button>
        )}
      </Space>
      <Card size="small" title={t("retention.requests.items")}>
        <Table<Item>
          rowKey="document_id"
          size="small"
          className="disposal-items"
          columns={columns}
          dataSource={disposal.items}
          pagination={false}
        />
      </Card>
      <ReasonModal
        open={refusing}
        title={t("retention.decision.refuse")}
        ask="reason"
        busy={busy}
        name="disposal-refusal"
        onCancel={() => setRefusing(false)}
        onSubmit={({ reason }) => void decide(false, reason)}
      />
    </Space>
  );
}
