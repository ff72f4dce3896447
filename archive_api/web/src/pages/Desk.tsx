// 工作台: what is waiting for me today.
import { Card, Col, List, Row, Tag, Typography } from "antd";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Page, Schemas } from "../api/types";
import { companyTime } from "../format";
import { Problem } from "../components/Problem";
import { useFetch } from "../hooks";
import { useSession } from "../session";
import { WORKERS } from "../Shell";
import { DeadlinesCard } from "./desk/DeadlinesCard";
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

type Notification = Schemas["NotificationRead"];

/** A notification in the reader's language, linked to what it is about. */
function Notice({ notice }: { notice: Notification }) {
  const { t } = useTranslation();
  // The stored subject is bilingual (it is also mailed); the page says it in one language.
  const what = t(`desk.notice.${notice.kind}`);
  const about = notice.borrowing_id
    ? `/borrowings/${notice.borrowing_id}`
    : notice.handover_id
      ? `/handovers/${notice.handover_id}`
      : null;
  return (
    <List.Item>
      <List.Item.Meta
        title={about ? <Link to={about}>{what}</Link> : what}
        description={companyTime(notice.created_at)}
      />
    </List.Item>
  );
}

function BorrowingList({ title, path, more }: { title: string; path: string; more: string }) {
  const { t } = useTranslation();
  const { data, error } = useFetch<Page<Borrowing>>(path);
  return (
    <Card title={title} size="small" extra={<Link to={more}>{t("desk.all")}</Link>}>
      {error ? (
        <Problem error={error} />
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
  // Administrators and auditors borrow nothing: their desk shows what concerns them only.
  const borrower = holds(...WORKERS);
  const approver = holds("dept_head", "marketing_director", "archivist");
  // Archivists follow every overdue loan of their departments; others their own.
  const overdueScope = holds("archivist") ? "all" : "mine";
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
        {borrower && (
          <Col xs={24} lg={12}>
            <BorrowingList
              title={t("desk.myBorrowings")}
              path="/borrowings?scope=mine&limit=5"
              more="/borrowings"
            />
          </Col>
        )}
        {approver && (
          <Col xs={24} lg={12}>
            <BorrowingList
              title={t("desk.toApprove")}
              path="/borrowings?scope=to_approve&limit=5"
              more="/borrowings?scope=to_approve"
            />
          </Col>
        )}
        {borrower && (
          <Col xs={24} lg={12}>
            <BorrowingList
              title={t("desk.overdue")}
              path={`/borrowings?scope=${overdueScope}&status=overdue&limit=5`}
              more={overdueScope === "all" ? "/borrowings/register" : "/borrowings"}
            />
          </Col>
        )}
        <Col xs={24} lg={12}>
          <HandoversCard />
        </Col>
        {borrower && (
          <Col xs={24} lg={12}>
            <DeadlinesCard />
          </Col>
        )}
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
              renderItem={(n) => <Notice notice={n} />}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
