// 本户合同: the customer's contracts from the ledger, newest first, each opening its own page;
// the whole list, filtered to the customer, and a new contract are one click away.
import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Space, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { Problem } from "../../components/Problem";
import { usePaged, withQuery } from "../../hooks";
import { useSession } from "../../session";
import { HandoverTags } from "../contracts/Ledger";
import { MAKERS, money } from "../contracts/words";
import type { Contract } from "../contracts/words";

export function Contracts({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const { holds } = useSession();
  const contracts = usePaged<Contract>("/contracts", { customer_id: customerId }, 10);
  const columns: ColumnsType<Contract> = [
    {
      title: t("contracts.number"),
      dataIndex: "number",
      render: (number: string, c) => <Link to={`/contracts/${c.id}`} className="code">{number}</Link>,
    },
    { title: t("contracts.titleField"), dataIndex: "title" },
    { title: t("contracts.kindField"), render: (_, c) => t(`contracts.kind.${c.kind}`) },
    { title: t("contracts.statusField"), render: (_, c) => <Tag>{t(`contracts.status.${c.status}`)}</Tag> },
    { title: t("contracts.signedOn"), render: (_, c) => c.signed_on ?? "—" },
    { title: t("contracts.amount"), className: "amount", render: (_, c) => money(c.amount, c.currency) },
    { title: t("contracts.handovers"), render: (_, c) => <HandoverTags contract={c} /> },
  ];
  return (
    <Card
      size="small"
      title={t("contracts.ofFile")}
      className="file-contracts"
      extra={
        <Space>
          <Link to={withQuery("/contracts", { customer: customerId })}>{t("contracts.inLedger")}</Link>
          {holds(...MAKERS) && (
            <Link to={withQuery("/contracts/new", { customer: customerId })}>
              <Button size="small" icon={<PlusOutlined />}>{t("contracts.new")}</Button>
            </Link>
          )}
        </Space>
      }
    >
      <Problem error={contracts.error} />
      <Table<Contract>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={contracts.data?.items ?? []}
        loading={contracts.loading}
        pagination={{ ...contracts.pagination, hideOnSinglePage: true }}
        locale={{ emptyText: t("contracts.noneOfFile") }}
      />
    </Card>
  );
}
