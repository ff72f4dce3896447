// 一户一档: one customer's file — who keeps it, where it stands, its master data, its documents
// by type, its license as read, and the history of changes to its record.
import { Button, Card, Descriptions, Space, Spin, Tag, Typography } from "antd";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { api } from "../../api/client";
import { useAct } from "../../components/useAct";
import { useFetch, usePaged } from "../../hooks";
import { useSession } from "../../session";
import { Completeness } from "./Completeness";
import { Contracts } from "./Contracts";
import { Deadlines } from "./Deadlines";
import type { DocumentFilter } from "./DocumentFilters";
import { Documents } from "./Documents";
import { MAY } from "./kinds";
import type { Secrecy } from "./kinds";
import { History } from "./History";
import { Holds } from "./Holds";
import { contractNumbers } from "./holds";
import type { Hold } from "./holds";
import { LetterEdit } from "./LetterEdit";
import { ProposeSecrecy } from "./ProposeSecrecy";
import { License } from "./License";
import type { Detail } from "./master";
import { MasterData } from "./MasterData";
import { Status } from "./Status";
import { Upload } from "./Upload";
import { ReasonModal } from "../borrowings/ReasonModal";

/** Where a borrowing of the customer (and of the chosen documents, if any) is requested. */
export function borrowPath(customerId: string, documents: string[]): string {
  // Ids are UUIDs: the commas need no escaping, and the link reads as the borrowing page expects.
  const chosen = documents.length ? `&documents=${documents.map(encodeURIComponent).join(",")}` : "";
  return `/borrowings/new?customer=${encodeURIComponent(customerId)}${chosen}`;
}

export function CustomerFile() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  // A search result opens the file at its document (?document=…).
  const [params] = useSearchParams();
  const { holds } = useSession();
  const navigate = useNavigate();
  const customer = useFetch<Detail>(`/customers/${id}`);
  const [filter, setFilter] = useState<DocumentFilter>({});
  const documents = usePaged<Schemas["DocumentRead"]>("/documents", { customer_id: id, ...filter }, 100);
  const [uploading, setUploading] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  // A change of the record shows in its history: the history is read again after each.
  const [changed, setChanged] = useState(0);
  // What the file lacks is weighed again after each upload and each change of the record (its
  // category and status choose what it must hold).
  const [weighed, setWeighed] = useState(0);
  const holdList = useFetch<Hold[]>(`/customers/${id}/holds`);
  const [holding, setHolding] = useState<Schemas["DocumentRead"] | null>(null);
  const [editing, setEditing] = useState<Schemas["DocumentRead"] | null>(null);
  // A proposal of a level: of the customer itself (null document) or of one document.
  const [proposing, setProposing] = useState<{ path: string; name: string; current: Secrecy } | null>(null);
  const [marking, setMarking] = useState(false);
  const { act, busy } = useAct();
  const { reload: reloadHolds } = holdList;
  const holdDocument = async ({ reason }: { reason?: string }) => {
    if (!holding) return;
    const done = await act(
      () => api.post(`/documents/${holding.id}/holds`, { reason }),
      t("customers.hold.setDone"),
    );
    if (done) {
      setHolding(null);
      reloadHolds();
    }
  };
  const markImportant = async ({ reason }: { reason?: string }) => {
    const important = !customer.data?.important;
    const done = await act(
      () => api.put(`/customers/${id}/important`, { important, reason }),
      t(important ? "customers.proposal.markedImportant" : "customers.proposal.unmarkedImportant"),
    );
    if (done !== undefined) {
      setMarking(false);
      recordChanged();
    }
  };
  const { reload } = documents;
  const refresh = useCallback(() => {
    reload();
    setWeighed((n) => n + 1);
  }, [reload]);
  const { reload: reloadCustomer } = customer;
  const recordChanged = useCallback(() => {
    reloadCustomer();
    setChanged((n) => n + 1);
    setWeighed((n) => n + 1);
  }, [reloadCustomer]);

  if (customer.error) return <Problem error={customer.error} />;
  const c = customer.data;
  if (!c) return <Spin className="loading" />;
  return (
    <Space orientation="vertical" size={16} className="page">
      <Link to="/customers">{t("customers.file.back")}</Link>
      <Card
        title={
          <Space>
            <Typography.Title level={3} className="customer-name" translate="no">
              {c.name}
            </Typography.Title>
            <Tag>{t("customers.file.title")}</Tag>
            {c.important && (
              <Tag color="gold" className="important">
                {t("customers.proposal.important")}
              </Tag>
            )}
          </Space>
        }
      >
        <Space wrap className="file-actions">
          {holds(...MAY.upload) && (
            <Button type="primary" onClick={() => setUploading(true)}>
              {t("customers.file.upload")}
            </Button>
          )}
          {holds(...MAY.borrow) && (
            <Button className="borrow" onClick={() => navigate(borrowPath(c.id, chosen))}>
              {chosen.length
                ? t("customers.file.borrowChosen", { count: chosen.length })
                : t("customers.file.borrow")}
            </Button>
          )}
          {holds(...MAY.proposeCustomer) && (
            <Button
              className="propose-customer"
              onClick={() =>
                setProposing({ path: `/customers/${c.id}`, name: c.name, current: c.secrecy as Secrecy })
              }
            >
              {t("customers.proposal.proposeCustomer")}
            </Button>
          )}
          {holds(...MAY.markImportant) && (
            <Button className="mark-important" onClick={() => setMarking(true)}>
              {t(c.important ? "customers.proposal.unmarkImportant" : "customers.proposal.markImportant")}
            </Button>
          )}
          {holds(...MAY.review) && (
            <Button className="credit" onClick={() => navigate(`/credit/${c.id}`)}>
              {t("customers.file.credit")}
            </Button>
          )}
        </Space>
        <Descriptions
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            { key: "uscc", label: t("customers.column.uscc"), children: <span className="code">{c.uscc}</span> },
            { key: "department", label: t("customers.column.department"), children: c.department_name },
            { key: "custodian", label: t("customers.column.custodian"), children: c.custodian_name },
            { key: "status", label: t("customers.lifecycle.title"), children: <Status customer={c} onChanged={recordChanged} /> },
            { key: "secrecy", label: t("customers.file.secrecy"), children: t(`secrecy.${c.secrecy}`) },
            { key: "grade", label: t("customers.column.grade"), children: c.grade ?? "—" },
          ]}
        />
      </Card>
      <MasterData customer={c} mayEdit={holds(...MAY.update)} onSaved={recordChanged} />
      {uploading && (
        <Upload
          customerId={c.id}
          defaultSecrecy={c.secrecy as Secrecy}
          onUploaded={refresh}
          onClose={() => setUploading(false)}
        />
      )}
      <Completeness customerId={c.id} round={weighed} />
      <Deadlines customerId={c.id} round={weighed} />
      <Documents
        documents={documents}
        filter={filter}
        onFilter={setFilter}
        chosen={chosen}
        onChoose={setChosen}
        mayChoose={holds(...MAY.borrow)}
        shown={params.get("document")}
        holds={holdList.data ?? []}
        onHold={holds(...MAY.hold) ? setHolding : undefined}
        onEditLetter={holds(...MAY.editLetter) ? setEditing : undefined}
        onPropose={
          holds(...MAY.proposeDocument)
            ? (d) => setProposing({ path: `/documents/${d.id}`, name: d.title, current: d.secrecy })
            : undefined
        }
      />
      {proposing && <ProposeSecrecy {...proposing} onClose={() => setProposing(null)} />}
      <ReasonModal
        open={marking}
        title={t(c.important ? "customers.proposal.unmarkImportant" : "customers.proposal.markImportant")}
        ask="reason"
        name="mark-important"
        busy={busy}
        onCancel={() => setMarking(false)}
        onSubmit={markImportant}
      />
      {editing && (
        <LetterEdit
          document={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
      <Contracts customerId={c.id} />
      <Holds
        customerId={c.id}
        holds={holdList}
        mayHold={holds(...MAY.hold)}
        contracts={contractNumbers(documents.data?.items ?? [])}
        onChanged={reloadHolds}
      />
      <ReasonModal
        open={holding !== null}
        title={holding ? t("customers.hold.putOn", { title: holding.title }) : ""}
        ask="reason"
        name="hold-document"
        busy={busy}
        onCancel={() => setHolding(null)}
        onSubmit={holdDocument}
      />
      {holds(...MAY.readCredit) && (
        <License customerId={c.id} mayAccept={holds(...MAY.acceptLicense)} onAccepted={recordChanged} />
      )}
      <History key={changed} customerId={c.id} />
    </Space>
  );
}
