// 工作台: what is waiting for me today.
import { Card, Col, List, Row, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api } from "../api/client";
import type { Page } from "../api/types";
import { companyTime } from "../format";
import { errorMessage } from "../i18n";
import { useSession } from "../session";

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

function BorrowingList({ title, path, more }: { title: string; path: string; more: string }) {
  const { t } = useTranslation();
  const { data, error } = useFetch<Page<Borrowing>>(path);
  return (
    <Card title={title} size="small" extra={<Link to={more}>{t("desk.all")}</Link>}>
      {error ? (
        <Typography.Text type="danger">{error}</Typography.Text>
      ) : (
        <List
          dataSource={data?.items ?? []}
          loading={data === null}
          locale={{ emptyText: t("desk.empty") }}
          renderItem={(b) => (
            <List.Item>
              <List.Item.Meta title={<Link to={`/borrowings/${b.id}`}>{b.number}</Link>} description={b.purpose} />
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
  // Archivists follow every overdue loan of their departments; others their own.
  const overdueScope = holds("archivist") ? "all" : "mine";
  const notifications = useFetch<Notification[]>("/notifications?limit=20");
  return (
    <>
      <Typography.Title level={3}>{t("desk.welcome", { name: me?.display_name })}</Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <BorrowingList title={t("desk.myBorrowings")} path="/borrowings?scope=mine&limit=5" more="/borrowings" />
        </Col>
        {approver && (
          <Col xs={24} lg={12}>
            <BorrowingList
              title={t("desk.toApprove")}
              path="/borrowings?scope=to_approve&limit=5"
              more="/borrowings?scope=to_approve"
            />
          </Col>
        )}
        <Col xs={24} lg={12}>
          <BorrowingList
            title={t("desk.overdue")}
            path={`/borrowings?scope=${overdueScope}&status=overdue&limit=5`}
            more={overdueScope === "all" ? "/borrowings/register" : "/borrowings"}
          />
        </Col>
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
