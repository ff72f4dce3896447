// Correcting a letter's details (PATCH /documents/{id}): only what changed is sent, with a reason
// if one is given; the document's own type says which fields it keeps.
import { App, Input, Modal, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { LetterInputs } from "./LetterFields";
import { changesOf, draftOf } from "./letters";
import type { LetterDraft } from "./letters";

type Document = Schemas["DocumentRead"];

interface Props {
  document: Document;
  onClose: () => void;
  onSaved: () => void;
}

export function LetterEdit({ document, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { act, busy, problem } = useAct();
  const [draft, setDraft] = useState<LetterDraft>(() => draftOf(document));
  const [reason, setReason] = useState("");
  const save = async () => {
    const changes = changesOf(document, draft);
    if (Object.keys(changes).length === 0) {
      void message.info(t("customers.letter.unchanged"));
      return;
    }
    const body = { ...changes, reason: reason.trim() || null };
    const done = await act(() => api.patch<Document>(`/documents/${document.id}`, body), t("customers.letter.done"));
    if (done) onSaved();
  };
  const title = t("customers.letter.editTitle", { title: document.title });
  return (
    <Modal open title={title} okText={t("customers.letter.edit")} confirmLoading={busy} onOk={() => void save()} onCancel={onClose}>
      <Space orientation="vertical" size={12} className="letter-edit">
        <LetterInputs
          type={document.doc_type}
          draft={draft}
          of={document.title}
          onChange={(patch) => setDraft((was) => ({ ...was, ...patch }))}
        />
        <Input.TextArea
          aria-label={t("customers.letter.reason")}
          placeholder={t("customers.letter.reason")}
          rows={2}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <Problem error={problem} />
      </Space>
    </Modal>
  );
}
