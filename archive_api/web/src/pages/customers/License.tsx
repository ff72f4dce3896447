// 营业执照识别结果: what the latest business license was read to say, to take into the record.
import { Button, Card, Descriptions, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useAct } from "../../components/useAct";
import { companyTime } from "../../format";
import { useFetch } from "../../hooks";

type Job = Schemas["ExtractionRead"];

/** What the server read from a license (ingest.schemas.LicenseFields), each with its confidence. */
interface LicenseFields {
  name: string | null;
  name_confidence: number;
  uscc: string | null;
  uscc_confidence: number;
  founded_on: string | null;
  founded_on_confidence: number;
  valid_from: string | null;
  valid_until: string | null;
  indefinite: boolean;
  term_confidence: number;
  registered_capital?: string | null;
  capital_currency?: string | null;
  capital_confidence?: number;
  legal_representative?: string | null;
  legal_representative_confidence?: number;
  address?: string | null;
  address_confidence?: number;
}

interface Proposal {
  fields: LicenseFields;
  mismatches: string[];
  accepted_at?: string;
}

/** The latest license reading that found fields, if any. */
export function latestLicense(jobs: Job[]): Job | undefined {
  return jobs.find((j) => j.kind === "license" && j.status === "done" && j.result);
}

export function License({ customerId, mayAccept, onAccepted }: { customerId: string; mayAccept: boolean; onAccepted: () => void }) {
  const { t } = useTranslation();
  const { act, busy } = useAct();
  const jobs = useFetch<Job[]>(`/customers/${customerId}/extractions`);
  const job = latestLicense(jobs.data ?? []);
  const proposal = job?.result as Proposal | undefined;
  const fields = proposal?.fields;
  const confidence = (value: number | undefined) => (
    <Typography.Text type="secondary"> {t("customers.license.confidence", { value: Math.round((value ?? 0) * 100) })}</Typography.Text>
  );
  const differs = (name: string) =>
    proposal?.mismatches.includes(name) ? <Tag color="warning">{t("customers.license.differs")}</Tag> : null;
  const accept = async () => {
    if (!job) return;
    const done = await act(
      () => api.post(`/customers/${customerId}/extractions/${job.id}/accept`),
      t("customers.license.accepted"),
    );
    if (done) {
      jobs.reload();
      onAccepted();
    }
  };
  return (
    <Card
      size="small"
      title={t("customers.license.title")}
      className="license"
      extra={
        mayAccept && job && !proposal?.accepted_at ? (
          <Button onClick={accept} loading={busy}>
            {t("customers.license.accept")}
          </Button>
        ) : proposal?.accepted_at ? (
          <Tag color="success">{t("customers.license.accepted")}</Tag>
        ) : null
      }
    >
      <Problem error={jobs.error} />
      {!fields ? (
        <Typography.Text type="secondary">{t("customers.license.none")}</Typography.Text>
      ) : (
        <Descriptions
          size="small"
          column={2}
          items={[
            {
              key: "name",
              label: t("customers.license.name"),
              children: (
                <>
                  {fields.name ?? "—"}
                  {confidence(fields.name_confidence)} {differs("name")}
                </>
              ),
            },
            {
              key: "uscc",
              label: t("customers.license.uscc"),
              children: (
                <>
                  {fields.uscc ?? "—"}
                  {confidence(fields.uscc_confidence)} {differs("uscc")}
                </>
              ),
            },
            {
              key: "founded",
              label: t("customers.license.foundedOn"),
              children: (
                <>
                  {fields.founded_on ?? "—"}
                  {confidence(fields.founded_on_confidence)} {differs("founded_on")}
                </>
              ),
            },
            { key: "from", label: t("customers.license.validFrom"), children: fields.valid_from ?? "—" },
            {
              key: "until",
              label: t("customers.license.validUntil"),
              children: (
                <>
                  {fields.indefinite ? t("customers.license.indefinite") : (fields.valid_until ?? "—")}
                  {confidence(fields.term_confidence)}
                </>
              ),
            },
            {
              key: "capital",
              label: t("customers.license.capital"),
              children: (
                <>
                  {fields.registered_capital ? `${fields.registered_capital} ${fields.capital_currency ?? ""}` : "—"}
                  {fields.registered_capital && confidence(fields.capital_confidence)} {differs("registered_capital")}
                </>
              ),
            },
            {
              key: "representative",
              label: t("customers.license.representative"),
              children: (
                <>
                  {fields.legal_representative ?? "—"}
                  {fields.legal_representative && confidence(fields.legal_representative_confidence)}{" "}
                  {differs("legal_representative")}
                </>
              ),
            },
            {
              key: "address",
              label: t("customers.license.address"),
              span: 2,
              children: (
                <>
                  {fields.address ?? "—"}
                  {fields.address && confidence(fields.address_confidence)} {differs("address")}
                </>
              ),
            },
            { key: "read", label: t("customers.license.read"), children: companyTime(job?.finished_at) },
          ]}
        />
      )}
    </Card>
  );
}
