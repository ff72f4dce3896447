// One document found: its title (to its customer file), what kind it is, whose it is, and the
// text around the words for someone who may read it.
import { Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { companyTime } from "../../format";
import { Snippet } from "./Snippet";

type SearchHit = Schemas["SearchHit"];

/** The customer file of a document, with the document shown in it. */
export function documentPath(document: Schemas["DocumentRead"]): string {
  return `/customers/${encodeURIComponent(document.customer_id)}?document=${encodeURIComponent(document.id)}`;
}

const YUAN = new Intl.NumberFormat("zh-CN", { style: "currency", currency: "CNY" });

export function Hit({ hit, terms }: { hit: SearchHit; terms: string[] }) {
  const { t } = useTranslation();
  const d = hit.document;
  // A document whose customer file the searcher may not open is named, not linked.
  const title = hit.customer_name === null ? d.title : <Link to={documentPath(d)}>{d.title}</Link>;
  const facts: [string, string][] = [];
  if (d.counterparty) facts.push([t("search.hit.counterparty"), d.counterparty]);
  if (d.contract_no) facts.push([t("search.hit.contractNo"), d.contract_no]);
  if (d.amount !== null) facts.push([t("search.hit.amount"), YUAN.format(Number(d.amount))]);
  facts.push(
    d.issued_on
      ? [t("search.hit.issued"), d.issued_on]
      : [t("search.hit.uploaded"), companyTime(d.created_at).slice(0, 10)],
  );
  return (
    <article className="hit" data-document-id={d.id}>
      <Space size={8} wrap className="hit-head">
        <Typography.Title level={5} className="hit-title" translate="no">
          {title}
        </Typography.Title>
        <Tag>{t(`customers.docType.${d.doc_type}`)}</Tag>
        <Tag>{t(`secrecy.${d.secrecy}`)}</Tag>
      </Space>
      <div className="hit-facts">
        <span>
          {t("search.hit.labelled", { label: t("search.hit.customer") })}
          {hit.customer_name === null ? (
            <Typography.Text type="secondary">{t("search.hit.customerHidden")}</Typography.Text>
          ) : (
            <Link to={`/customers/${encodeURIComponent(d.customer_id)}`} translate="no">
              {hit.customer_name}
            </Link>
          )}
        </span>
        {facts.map(([label, value]) => (
          <span key={label}>
            {t("search.hit.labelled", { label })}
            {value}
          </span>
        ))}
      </div>
      {hit.snippet && <Snippet text={hit.snippet} terms={terms} />}
    </article>
  );
}
