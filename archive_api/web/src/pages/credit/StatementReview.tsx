// One statement beside the page it was read from: figures with confidence and check flags,
// corrections with a reason, confirmation.
import { CheckCircleOutlined, CloseCircleOutlined, EditOutlined } from "@ant-design/icons";
import { Alert, Button, Col, Descriptions, Row, Segmented, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { companyTime } from "../../format";
import { useSession } from "../../session";
import { ConfirmDialog } from "./ConfirmDialog";
import { CorrectionDialog } from "./CorrectionDialog";
import { ITEM_ORDER } from "./items";
import {
  confidenceLevel,
  describePeriod,
  failedFigures,
  formatAmount,
  namedChecks,
  type Figure,
  type Statement,
} from "./logic";

interface Props {
  customerId: string;
  statement: Statement;
  onChanged: () => void;
}

// Enlarged in place, scrolled within its box: small print is read beside the figures.
const ZOOMS = [100, 150, 200];
const CONFIDENCE_COLOR = { high: "green", medium: "blue", low: "orange" } as const;

function order(a: Figure, b: Figure): number {
  const rank = (f: Figure) => (ITEM_ORDER.indexOf(f.code) + 1 || 999) * 2 + (f.period === "prior" ? 1 : 0);
  return rank(a) - rank(b);
}

/** A column's period as the reader's language prints it: "9 个月，截至 2025-09-30". */
export function usePeriodName(): (s: Statement, column: "current" | "prior") => string {
  const { t, i18n } = useTranslation();
  return (s, column) => {
    const [months, end] = column === "current" ? [s.current_months, s.current_end] : [s.prior_months, s.prior_end];
    const period = describePeriod(s.type, months, end, i18n.language === "en");
    return t(`credit.statement.${period.key}`, { months: period.months, end: period.end });
  };
}

export function StatementReview({ customerId, statement, onChanged }: Props) {
  const { t } = useTranslation();
  const { holds } = useSession();
  const reviewer = holds("credit_manager");
  const [page, setPage] = useState(statement.pages[0] ?? 1);
  const [zoom, setZoom] = useState<number>(ZOOMS[0]);
  const [correcting, setCorrecting] = useState<Figure | null>(null);
  const [confirming, setConfirming] = useState(false);
  const failed = failedFigures(statement);
  const checks = namedChecks(statement);
  const url = `/customers/${customerId}/statements/${statement.id}`;
  const itemName = (f: Figure) => t(`credit.item.${f.code}`, { defaultValue: f.label });
  const unit = t(`credit.units.${statement.unit}`, { defaultValue: statement.unit });
  const period = usePeriodName();

  return (
    <Row gutter={[16, 16]} className="credit-review">
      <Col xs={24} xl={10}>
        <Space orientation="vertical" className="credit-source">
          <Space wrap>
            {statement.pages.length > 1 && (
              <Segmented
                aria-label={t("credit.statement.page")}
                value={page}
                onChange={(value) => setPage(Number(value))}
                options={statement.pages.map((n) => ({ value: n, label: String(n) }))}
              />
            )}
            <Segmented
              aria-label={t("credit.statement.zoom")}
              value={zoom}
              onChange={(value) => setZoom(Number(value))}
              options={ZOOMS.map((z) => ({ value: z, label: `${z}%` }))}
            />
          </Space>
          <Typography.Text type="secondary">{t("credit.statement.source", { page })}</Typography.Text>
          {reviewer ? (
            <div className="credit-page-box" tabIndex={0} aria-label={t("credit.statement.source", { page })}>
              <img
                className={`credit-page credit-zoom-${zoom}`}
                src={`/api/v1${url}/pages/${page}`}
                alt={t("credit.statement.imageAlt", { page })}
              />
            </div>
          ) : (
            // The source page is shown to whoever may correct the figures; others borrow the file.
            <Typography.Text type="secondary">{t("credit.statement.reviewersOnly")}</Typography.Text>
          )}
        </Space>
      </Col>
      <Col xs={24} xl={14}>
        <Space orientation="vertical" size="middle" className="credit-figures">
          <Descriptions
            size="small"
            column={2}
            items={[
              {
                key: "status",
                label: t("credit.statement.status"),
                children:
                  statement.status === "confirmed" ? (
                    <Tag color="green">{t("credit.statement.confirmed")}</Tag>
                  ) : (
                    <Tag color={statement.needs_review ? "orange" : "blue"}>
                      {t(statement.needs_review ? "credit.statement.needsReview" : "credit.statement.extracted")}
                    </Tag>
                  ),
              },
              { key: "unit", label: t("credit.statement.unit"), children: unit },
              {
                key: "periods",
                label: t("credit.statement.periods"),
                span: 2,
                children:
                  statement.prior_label === null
                    ? period(statement, "current")
                    : t("credit.statement.periodsBoth", {
                        current: period(statement, "current"),
                        prior: period(statement, "prior"),
                      }),
              },
            ]}
          />
          {statement.confirmed_at && (
            <Typography.Text type="secondary">
              {t("credit.statement.confirmedBy", { at: companyTime(statement.confirmed_at) })}
            </Typography.Text>
          )}
          <section aria-labelledby="credit-checks-title">
            <Typography.Text strong id="credit-checks-title">
              {t("credit.statement.checks")}
            </Typography.Text>
            <ul className="credit-checks">
              {checks.map((c, i) => (
                <li key={i} className={c.ok ? undefined : "credit-check-failed"}>
                  <Space>
                    {c.ok ? <CheckCircleOutlined className="credit-ok" /> : <CloseCircleOutlined className="credit-bad" />}
                    <span>
                      {c.key ? t(`credit.check.${c.key}`) : c.name}
                      {c.period && t("credit.check.column", { period: t(`credit.period.${c.period}`) })}
                    </span>
                    <Tag color={c.ok ? "green" : "red"}>
                      {t(c.ok ? "credit.statement.checkOk" : "credit.statement.checkFailed")}
                    </Tag>
                  </Space>
                </li>
              ))}
            </ul>
          </section>
          <Table<Figure>
            rowKey={(f) => `${f.code}/${f.period}`}
            size="small"
            pagination={false}
            dataSource={[...statement.figures].sort(order)}
            rowClassName={(f) =>
              confidenceLevel(f.confidence) === "low" || failed.has(`${f.code}/${f.period}`) ? "credit-uncertain" : ""
            }
            columns={[
              { title: t("credit.statement.item"), key: "item", render: (_, f) => itemName(f) },
              {
                title: t("credit.statement.period"),
                dataIndex: "period",
                render: (p: string) => t(`credit.period.${p}`),
              },
              {
                title: t("credit.statement.value"),
                key: "value",
                align: "right",
                render: (_, f) => (f.value === null ? t("credit.statement.blank") : formatAmount(f.value)),
              },
              {
                title: t("credit.statement.confidence"),
                dataIndex: "confidence",
                render: (c: number) => (
                  <Tag color={CONFIDENCE_COLOR[confidenceLevel(c)]}>{Math.round(c * 100)}%</Tag>
                ),
              },
              {
                title: t("credit.statement.flags"),
                key: "flags",
                render: (_, f) => (
                  <Space size={2} wrap>
                    {confidenceLevel(f.confidence) === "low" && <Tag color="orange">{t("credit.statement.uncertain")}</Tag>}
                    {failed.has(`${f.code}/${f.period}`) && <Tag color="red">{t("credit.statement.failedCheck")}</Tag>}
                    {f.corrected_at && (
                      <Tooltip
                        title={t("credit.statement.correctedTip", {
                          was: f.extracted === null ? t("credit.statement.blank") : formatAmount(f.extracted),
                          reason: f.correction_reason ?? "",
                        })}
                      >
                        <Tag color="purple" tabIndex={0}>{t("credit.statement.corrected")}</Tag>
                      </Tooltip>
                    )}
                  </Space>
                ),
              },
              ...(reviewer
                ? [
                    {
                      title: "",
                      key: "act",
                      render: (_: unknown, f: Figure) => (
                        <Button
                          size="small"
                          icon={<EditOutlined />}
                          aria-label={`${t("credit.statement.correct")} ${itemName(f)} ${t(`credit.period.${f.period}`)}`}
                          onClick={() => setCorrecting(f)}
                        >
                          {t("credit.statement.correct")}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {reviewer && statement.status !== "confirmed" && (
            <Space>
              <Button type="primary" onClick={() => setConfirming(true)}>
                {t("credit.statement.confirm")}
              </Button>
            </Space>
          )}
          {statement.status === "confirmed" && (
            <Alert type="success" showIcon title={t("credit.statement.confirmed")} />
          )}
        </Space>
      </Col>
      {correcting && (
        <CorrectionDialog
          url={url}
          figure={correcting}
          itemName={itemName(correcting)}
          onClose={(changed) => {
            setCorrecting(null);
            if (changed) onChanged();
          }}
        />
      )}
      {confirming && (
        <ConfirmDialog
          url={url}
          statement={statement}
          onClose={(changed) => {
            setConfirming(false);
            if (changed) onChanged();
          }}
        />
      )}
    </Row>
  );
}
