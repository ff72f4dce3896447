// 工作台: what is waiting for me today.
import { Card, Col, List, Row, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { api } from "../api/client";
import type { Page } from "../api/types";
import { companyTime } from "../format";
import { errorMessage } from "../i18n";
import { useSession } from "../session";
import { HandoversCard } from "./desk/HandoversCard";
import { WarningsCard } from "./desk/WarningsCard";

interface Borrowing {
  id: string;
  number: string;
  purpose: string;
  status: string;
  overdue: boolean;
  due_at: string | null;
}

interface Notification {
  id: string;
  subject: string;
  created_at: string;
}

/** The answer of a GET, or the reason it failed, in the user's language. */
function useFetch<T>(path: string): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<T>(path).then(setData, (failed: unknown) => setError(errorMessage(failed)));
  }, [path]);
  return { data, error };
}

function BorrowingList({ title, path }: { title: string; path: string }) {
  const { t } = useTranslation();
  const { data, error } = useFetch<Page<Borrowing>>(path);
  return (
    <Card title={title} size="small">
      {error ? (
        <Typography.Text type="danger">{error}</Typography.Text>
      ) : (
        <List
          dataSource={data?.items ?? []}
          loading={data === null}
          locale={{ emptyText: t("desk.empty") }}
          renderItem={(b) => (
            <List.Item>
              <List.Item.Meta title={b.number} description={b.purpose} />
              <Tag color={b.overdue ? "red" : "blue"}>
                {t(b.overdue ? "status.overdue" : `status.${b.status}`)}
              </Tag>
              {b.due_at && (
                <Typography.Text type="secondary">
                  {t("desk.due")} {companyTime(b.due_at)}
                </Typography.Text>
              )}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

export function Desk() {
  const { t } = useTranslation();
  const { me, holds } = useSession();
  const approver = holds("dept_head", "marketing_director", "archivist");
  const notifications = useFetch<Notification[]>("/notifications?limit=20");
  return (
    <>
      <Typography.Title level={3}>
        {/* A name is the user's data, not the UI's words: marked so (translate="no"). */}
        <Trans
          i18nKey="desk.welcome"
          values={{ name: me?.display_name }}
          components={[<span key="name" translate="no" />]}
        />
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <BorrowingList title={t("desk.myBorrowings")} path="/borrowings?scope=mine" />
        </Col>
        {approver && (
          <Col xs={24} lg={12}>
            <BorrowingList title={t("desk.toApprove")} path="/borrowings?scope=to_approve" />
          </Col>
        )}
        <Col xs={24} lg={12}>
          <HandoversCard />
        </Col>
        {holds("credit_manager", "dept_head", "marketing_director") && (
          <Col xs={24} lg={12}>
            <WarningsCard />
          </Col>
        )}
        <Col xs={24} lg={12}>
          <Card title={t("desk.notifications")} size="small">
            <List
              dataSource={notifications.data ?? []}
              locale={{ emptyText: t("desk.empty") }}
              renderItem={(n) => (
                <List.Item>
                  <List.Item.Meta title={n.subject} description={companyTime(n.created_at)} />
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
