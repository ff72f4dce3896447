// 本户合同: the customer's contracts from the ledger, newest first, each opening its own page;
// the whole list, filtered to the customer, and a new contract are one click away.
import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Space, Table } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { Problem } from "../../components/Problem";
import { usePaged, withQuery } from "../../hooks";
import { useSession } from "../../session";
import { contractColumns } from "../contracts/Ledger";
import { MAKERS } from "../contracts/words";
import type { Contract } from "../contracts/words";

export function Contracts({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const { holds } = useSession();
  const contracts = usePaged<Contract>("/contracts", { customer_id: customerId }, 10);
  const columns = contractColumns(t, { customer: false });
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
