// 交接详情: the live inventory, what blocks completion, the three confirmations, cancel, the record.
import { DownloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Space, Spin, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api } from "../../api/client";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { companyTime } from "../../format";
import { useFetch } from "../../hooks";
import { Inventory } from "./Inventory";
import { STATUS_COLOR } from "./HandoverList";
import type { ConfirmationRow, Handover } from "./model";
import { blockers, confirmationRows, nameOf } from "./model";

function Blockers({ handover }: { handover: Handover }) {
  const { t } = useTranslation();
  const found = blockers(handover);
  if (handover.status !== "open") return null;
  if (found.length === 0) return <Alert type="success" showIcon title={t("handovers.blockers.none")} />;
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      title={t("handovers.blockers.title")}
      description={
        <ul className="handover-blockers">
          {found.map((b) => (
            <li key={b.key}>{t(`handovers.blockers.${b.key}`, { count: b.count })}</li>
          ))}
        </ul>
      }
    />
  );
}

function Confirmations({ handover, onChange }: { handover: Handover; onChange: (h: Handover) => void }) {
  const { t } = useTranslation();
  const { busy, act } = useAct();
  const blocked = blockers(handover).length > 0;
  const confirm = async (capacity: string) => {
    const done = await act(
      () => api.post<Handover>(`/handovers/${handover.id}/confirm`, { capacity }),
      t("handovers.confirm.confirmed"),
    );
    if (done) onChange(done);
  };
  const who = (row: ConfirmationRow) => {
    if (row.namedId) return nameOf(handover, row.namedId);
    return t(row.capacity === "dept_head" ? "handovers.confirm.anyHead" : "handovers.confirm.anyArchivist");
  };
  return (
    <Card size="small" title={t("handovers.confirm.title")}>
      <Table<ConfirmationRow>
        rowKey="capacity"
        size="small"
        pagination={false}
        dataSource={confirmationRows(handover)}
        columns={[
          {
            title: t("handovers.confirm.capacity"),
            render: (_, row) =>
              row.capacity === "successor" ? t("handovers.confirm.successor") : t(`role.${row.capacity}`),
          },
          { title: t("handovers.confirm.who"), render: (_, row) => who(row) },
          {
            title: t("handovers.confirm.done"),
            render: (_, row) =>
              row.givenBy ? (
                <Tag color="green">
                  {t("handovers.confirm.confirmedBy", {
                    name: nameOf(handover, row.givenBy),
                    at: companyTime(row.givenAt),
                  })}
                </Tag>
              ) : (
                <Tag>{t("handovers.confirm.waiting")}</Tag>
              ),
          },
          {
            title: t("handovers.confirm.action"),
            render: (_, row) =>
              row.mine && (
                <Button
                  type="primary"
                  loading={busy}
                  disabled={blocked}
                  onClick={() => void confirm(row.capacity)}
                >
                  {t("handovers.confirm.button")}
                </Button>
              ),
          },
        ]}
      />
    </Card>
  );
}

function CancelButton({ handover, onChange }: { handover: Handover; onChange: (h: Handover) => void }) {
  const { t } = useTranslation();
  const { busy, act } = useAct();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const cancel = async ({ reason }: { reason: string }) => {
    const done = await act(
      () => api.post<Handover>(`/handovers/${handover.id}/cancel`, { reason }),
      t("handovers.cancel.done"),
    );
    if (done) {
      setOpen(false);
      onChange(done);
    }
  };
  return (
    <>
      <Button danger onClick={() => setOpen(true)}>
        {t("handovers.cancel.button")}
      </Button>
      <Modal
        open={open}
        title={t("handovers.cancel.title")}
        okText={t("handovers.cancel.ok")}
        cancelText={t("handovers.cancel.keep")}
        okButtonProps={{ danger: true, loading: busy }}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(values) => void cancel(values)}>
          <Form.Item
            name="reason"
            label={t("handovers.cancel.reason")}
            htmlFor="handover-cancel-reason"
            rules={[{ required: true, whitespace: true, message: t("handovers.cancel.reasonRequired") }]}
          >
            <Input.TextArea id="handover-cancel-reason" rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function HandoverPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const fetched = useFetch<Handover>(`/handovers/${id ?? ""}`);
  const [changed, setChanged] = useState<Handover | null>(null);
  const handover = changed && changed.id === id ? changed : fetched.data;
  if (fetched.error) return <Problem error={fetched.error} />;
  if (!handover) return <Spin className="loading" />;
  const completed = handover.status === "completed";

  return (
    <Space orientation="vertical" size="middle" className="handover-page">
      <Space wrap className="handovers-head">
        <Typography.Title level={3}>
          {t("handovers.one")} {handover.number}
        </Typography.Title>
        <Tag color={STATUS_COLOR[handover.status]}>{t(`status.${handover.status}`)}</Tag>
        <Link to="/handovers">{t("handovers.back")}</Link>
      </Space>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: "e", label: t("handovers.employee"), children: nameOf(handover, handover.employee_id) },
          { key: "s", label: t("handovers.successor"), children: nameOf(handover, handover.successor_id) },
          { key: "p", label: t("handovers.plannedOn"), children: handover.planned_on },
          { key: "o", label: t("handovers.openedAt"), children: companyTime(handover.created_at) },
          ...(completed
            ? [
                { key: "c", label: t("handovers.completedAt"), children: companyTime(handover.completed_at) },
                { key: "h", label: t("handovers.record.hash"), children: <code>{handover.inventory_sha256}</code> },
              ]
            : []),
        ]}
      />
      {handover.status === "cancelled" && handover.closed_reason && (
        <Alert type="info" showIcon title={t("handovers.cancel.reasonShown", { reason: handover.closed_reason })} />
      )}
      {completed && <Alert type="success" showIcon title={t("handovers.confirm.completed")} />}
      <Blockers handover={handover} />
      <Confirmations handover={handover} onChange={setChanged} />
      {(completed || handover.may_cancel) && (
        <Space wrap>
          {completed && (
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              href={`/api/v1/handovers/${handover.id}/record.pdf`}
              download={`handover-${handover.number}.pdf`}
            >
              {t("handovers.record.download")}
            </Button>
          )}
          {handover.may_cancel && <CancelButton handover={handover} onChange={setChanged} />}
        </Space>
      )}
      <Inventory handover={handover} />
    </Space>
  );
}
