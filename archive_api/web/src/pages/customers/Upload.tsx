// Upload: several files dropped at once, each with its type, secrecy, title and progress bar,
// its own error in the user's language, and its reading's status once the server is done.
import { DeleteOutlined, InboxOutlined } from "@ant-design/icons";
import { Button, Card, Input, Progress, Select, Space, Table, Typography, Upload as Drop } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { upload } from "../../api/client";
import type { Schemas } from "../../api/types";
import { errorMessage } from "../../i18n";
import { useSession } from "../../session";
import { ExtractionStatus } from "./Extraction";
import { acceptable, DOC_TYPES, guessType, SECRECY, titleOf } from "./kinds";
import type { DocType, Secrecy } from "./kinds";
import { LetterInputs } from "./LetterFields";
import { NO_LETTER, uploadFields } from "./letters";
import type { LetterDraft } from "./letters";

type Stage = "waiting" | "sending" | "sent" | "failed";

export interface Item {
  key: string;
  file: File;
  docType: DocType;
  secrecy: Secrecy;
  title: string;
  /** A letter's details, sent when its type keeps them. */
  letter: LetterDraft;
  sent: number;
  stage: Stage;
  error: string | null;
  document: Schemas["DocumentRead"] | null;
}

// Names of file formats, the same in every language.
const FORMATS = "PDF, JPEG, PNG, TIFF, WebP";
let counter = 0;

/** A file chosen, ready to send; refused at once when Dangan would not take it. */
export function itemOf(file: File, secrecy: Secrecy, refuse: { wrongType: string; empty: string }): Item {
  counter += 1;
  const problem = !acceptable(file) ? refuse.wrongType : file.size === 0 ? refuse.empty : null;
  return {
    key: `${counter}-${file.name}`,
    file,
    docType: guessType(file.name),
    secrecy,
    title: titleOf(file.name),
    letter: NO_LETTER,
    sent: 0,
    stage: problem ? "failed" : "waiting",
    error: problem,
    document: null,
  };
}

interface Props {
  customerId: string;
  defaultSecrecy: Secrecy;
  onUploaded: () => void;
  onClose: () => void;
}

export function Upload({ customerId, defaultSecrecy, onUploaded, onClose }: Props) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [items, setItems] = useState<Item[]>([]);
  const clearance = SECRECY.indexOf((me?.clearance ?? "public") as Secrecy);
  const levels = SECRECY.filter((_, rank) => rank <= clearance);
  const change = (key: string, patch: Partial<Item>) =>
    setItems((was) => was.map((item) => (item.key === key ? { ...item, ...patch } : item)));

  const send = async (item: Item) => {
    if (!item.title.trim()) {
      change(item.key, { stage: "failed", error: t("customers.upload.titleRequired") });
      return;
    }
    change(item.key, { stage: "sending", sent: 0, error: null });
    const form = new FormData();
    // The fields before the file: the server reads them after it, but keeps their order.
    form.append("doc_type", item.docType);
    form.append("title", item.title.trim());
    form.append("secrecy", item.secrecy);
    for (const [name, value] of uploadFields(item.docType, item.letter)) form.append(name, value);
    form.append("file", item.file, item.file.name);
    try {
      const document = await upload<Schemas["DocumentRead"]>(`/customers/${customerId}/documents`, form, (sent) =>
        change(item.key, { sent }),
      );
      change(item.key, { stage: "sent", sent: 1, document });
      onUploaded();
    } catch (failed) {
      change(item.key, { stage: "failed", error: errorMessage(failed) });
    }
  };

  const waiting = items.filter((item) => item.stage === "waiting");
  const columns: ColumnsType<Item> = [
    {
      title: t("customers.upload.file"),
      render: (_, item) => <Typography.Text className="file-name">{item.file.name}</Typography.Text>,
    },
    {
      title: t("customers.upload.docType"),
      render: (_, item) => (
        <Select<DocType>
          aria-label={`${t("customers.upload.docType")}: ${item.file.name}`}
          className="doc-type"
          value={item.docType}
          disabled={item.stage !== "waiting"}
          onChange={(docType) => change(item.key, { docType })}
          options={DOC_TYPES.map((type) => ({ value: type, label: t(`customers.docType.${type}`) }))}
          popupMatchSelectWidth={false}
        />
      ),
    },
    {
      title: t("customers.upload.secrecy"),
      render: (_, item) => (
        <Select<Secrecy>
          aria-label={`${t("customers.upload.secrecy")}: ${item.file.name}`}
          className="secrecy"
          value={item.secrecy}
          disabled={item.stage !== "waiting"}
          onChange={(secrecy) => change(item.key, { secrecy })}
          options={levels.map((level) => ({ value: level, label: t(`secrecy.${level}`) }))}
        />
      ),
    },
    {
      title: t("customers.upload.titleField"),
      render: (_, item) => (
        <Input
          aria-label={`${t("customers.upload.titleField")}: ${item.file.name}`}
          value={item.title}
          maxLength={300}
          disabled={item.stage !== "waiting"}
          onChange={(e) => change(item.key, { title: e.target.value })}
        />
      ),
    },
    {
      title: t("customers.letter.column"),
      render: (_, item) => (
        <LetterInputs
          type={item.docType}
          draft={item.letter}
          of={item.file.name}
          disabled={item.stage !== "waiting"}
          onChange={(patch) => change(item.key, { letter: { ...item.letter, ...patch } })}
        />
      ),
    },
    {
      title: t("customers.upload.progress"),
      width: 260,
      render: (_, item) => (
        <Space orientation="vertical" size={2} className="upload-state" data-stage={item.stage}>
          <Progress
            percent={Math.round(item.sent * 100)}
            status={item.stage === "failed" ? "exception" : item.stage === "sent" ? "success" : "normal"}
            size="small"
            format={(percent) => `${percent ?? 0}%`}
          />
          {item.error ? (
            <Typography.Text type="danger" role="alert" className="upload-error">
              {item.error}
            </Typography.Text>
          ) : (
            <Space size={4}>
              <Typography.Text type="secondary">{t(`customers.upload.${item.stage}`)}</Typography.Text>
              {item.document && <ExtractionStatus documentId={item.document.id} onDone={onUploaded} />}
            </Space>
          )}
        </Space>
      ),
    },
    {
      title: "",
      width: 48,
      render: (_, item) =>
        item.stage !== "sending" && (
          <Button
            type="text"
            icon={<DeleteOutlined />}
            aria-label={t("customers.upload.remove", { name: item.file.name })}
            onClick={() => setItems((was) => was.filter((other) => other.key !== item.key))}
          />
        ),
    },
  ];

  return (
    <Card
      size="small"
      title={t("customers.upload.title")}
      className="upload"
      extra={<Button onClick={onClose}>{t("customers.upload.close")}</Button>}
    >
      <Drop.Dragger
        multiple
        showUploadList={false}
        beforeUpload={(file) => {
          const refuse = { wrongType: t("customers.upload.wrongType", { types: FORMATS }), empty: t("customers.upload.empty") };
          setItems((was) => [...was, itemOf(file, defaultSecrecy, refuse)]);
          return Drop.LIST_IGNORE;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t("customers.upload.drop")}</p>
        <p className="ant-upload-hint">{t("customers.upload.hint", { types: FORMATS })}</p>
      </Drop.Dragger>
      {items.length > 0 && (
        <>
          <Table<Item> rowKey="key" size="small" columns={columns} dataSource={items} pagination={false} className="upload-files" />
          <Button
            type="primary"
            className="upload-start"
            disabled={waiting.length === 0}
            onClick={() => void Promise.all(waiting.map(send))}
          >
            {t("customers.upload.start")}
          </Button>
        </>
      )}
    </Card>
  );
}
