// The documents of a customer file, grouped by type, one page of them at a time from the server.
import { Button, Card, Empty, Pagination, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { companyTime } from "../../format";
import type { Paged } from "../../hooks";
import { DocumentFilters, filtering } from "./DocumentFilters";
import type { DocumentFilter } from "./DocumentFilters";
import { ExtractionStatus } from "./Extraction";
import { holdsCovering } from "./holds";
import type { Hold } from "./holds";
import { DOC_TYPES } from "./kinds";
import type { DocType } from "./kinds";
import { LetterSummary } from "./LetterFields";
import { keeps } from "./letters";

type Document = Schemas["DocumentRead"];

/** The documents of a page by type, in the customer file's order of types. */
export function byType(documents: Document[]): [DocType, Document[]][] {
  return DOC_TYPES.map((type): [DocType, Document[]] => [type, documents.filter((d) => d.doc_type === type)]).filter(
    ([, found]) => found.length > 0,
  );
}

interface Props {
  documents: Paged<Document>;
  /** What the list is narrowed to, and how to change it. */
  filter: DocumentFilter;
  onFilter: (filter: DocumentFilter) => void;
  chosen: string[];
  onChoose: (ids: string[]) => void;
  mayChoose: boolean;
  /** The document to point out (opened from a search result), if any. */
  shown?: string | null;
  /** The file's legal holds: a document they cover is marked. */
  holds?: Hold[];
  /** Put one document under hold (for those who may). */
  onHold?: (document: Document) => void;
  /** Correct a letter's details (for those who may). */
  onEditLetter?: (document: Document) => void;
  /** Propose a document's secrecy level (for those who may). */
  onPropose?: (document: Document) => void;
}

export function Documents({
  documents,
  filter,
  onFilter,
  chosen,
  onChoose,
  mayChoose,
  shown = null,
  holds = [],
  onHold,
  onEditLetter,
  onPropose,
}: Props) {
  const { t } = useTranslation();
  const items = documents.data?.items ?? [];
  const listed = shown !== null && items.some((d) => d.id === shown);
  useEffect(() => {
    if (!listed || shown === null) return;
    const row = document.querySelector(`.doc-group tr[data-row-key="${CSS.escape(shown)}"]`);
    row?.scrollIntoView({ block: "center" });
  }, [listed, shown]);
  const columns: ColumnsType<Document> = [
    {
      title: t("customers.document.title"),
      key: "title",
      // A tombstone keeps no title: it says when it was disposed of instead.
      render: (_, d) =>
        d.disposed_at ? (
          <Tag className="doc-disposed">{t("customers.document.disposed", { day: companyTime(d.disposed_at) })}</Tag>
        ) : (
          d.title
        ),
    },
    {
      title: t("customers.letter.column"),
      key: "letter",
      render: (_, d) =>
        d.disposed_at ? null : (
          <Space size={4} wrap>
            <LetterSummary document={d} />
            {onEditLetter && (
              <Button size="small" type="link" className="letter-edit-open" onClick={() => onEditLetter(d)}>
                {t("customers.letter.edit")}
              </Button>
            )}
          </Space>
        ),
    },
    {
      title: t("customers.document.secrecy"),
      dataIndex: "secrecy",
      render: (level: string, d) => (
        <Space size={4}>
          <Tag>{t(`secrecy.${level}`)}</Tag>
          {onPropose && !d.disposed_at && (
            <Button size="small" type="link" className="propose-secrecy" onClick={() => onPropose(d)}>
              {t("customers.proposal.propose")}
            </Button>
          )}
        </Space>
      ),
    },
    {
      title: t("customers.document.versions"),
      render: (_, d) => (
        <span title={d.versions.map((v) => `${v.version}: ${v.filename}`).join("\n")}>
          {t("customers.document.version", { n: d.latest_version })}
        </span>
      ),
    },
    {
      title: t("customers.document.original"),
      render: (_, d) =>
        d.original_cabinet
          ? [
              t("customers.document.place", { cabinet: d.original_cabinet }),
              d.original_shelf && t("customers.document.shelf", { shelf: d.original_shelf }),
              d.original_box && t("customers.document.box", { box: d.original_box }),
            ]
              .filter(Boolean)
              .join(" ")
          : t("customers.document.noOriginal"),
    },
    {
      title: t("customers.document.uploaded"),
      render: (_, d) => (
        <Space size={4} wrap>
          {companyTime(d.created_at)}
          <Tag color={d.filed_at ? "green" : "orange"}>
            {t(d.filed_at ? "customers.document.filed" : "customers.document.notFiled")}
          </Tag>
        </Space>
      ),
    },
    {
      title: t("customers.document.extraction"),
      render: (_, d) =>
        d.doc_type === "business_license" || d.doc_type === "financial_statement" ? (
          <ExtractionStatus documentId={d.id} />
        ) : null,
    },
    {
      title: t("customers.hold.column"),
      key: "hold",
      render: (_, d) => {
        const covering = holdsCovering(d, holds);
        return (
          <Space size={4} wrap>
            {covering.length > 0 && (
              <Tag color="red" className="doc-held" title={covering.map((h) => h.reason).join("\n")}>
                {t("customers.hold.active")}
              </Tag>
            )}
            {onHold && (
              <Button size="small" type="link" className="doc-hold" onClick={() => onHold(d)}>
                {t("customers.hold.putDocument")}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];
  return (
    <Card title={t("customers.file.documents")} size="small" className="documents">
      <DocumentFilters value={filter} onChange={onFilter} />
      <Problem error={documents.error} />
      {items.length === 0 && !documents.loading ? (
        <Empty description={t(filtering(filter) ? "customers.file.noneMatch" : "customers.file.noDocuments")} />
      ) : (
        byType(items).map(([type, found]) => (
          <section key={type} className="doc-group" data-doc-type={type}>
            <Typography.Title level={5}>
              {t(`customers.docType.${type}`)} <Tag>{found.length}</Tag>
            </Typography.Title>
            <Table<Document>
              rowKey="id"
              size="small"
              columns={keeps(type).letter ? columns : columns.filter((c) => c.key !== "letter")}
              dataSource={found}
              pagination={false}
              rowClassName={(d) => (d.id === shown ? "doc-shown" : "")}
              rowSelection={
                mayChoose
                  ? {
                      selectedRowKeys: chosen.filter((id) => found.some((d) => d.id === id)),
                      onChange: (keys) =>
                        onChoose([...chosen.filter((id) => !found.some((d) => d.id === id)), ...keys.map(String)]),
                      getCheckboxProps: (d) => ({ "aria-label": t("customers.file.choose", { title: d.title }) }),
                    }
                  : undefined
              }
            />
          </section>
        ))
      )}
      {(documents.data?.total ?? 0) > documents.pagination.pageSize && (
        <Pagination className="doc-pages" {...documents.pagination} />
      )}
    </Card>
  );
}
