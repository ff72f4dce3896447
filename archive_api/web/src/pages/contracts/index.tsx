// The contract ledger area: the ledger with its statistics, one contract, a new contract.
import { Route, Routes } from "react-router-dom";
import { ContractPage } from "./ContractPage";
import { Ledger } from "./Ledger";
import { NewContract } from "./NewContract";
import "./contracts.css";

export default function Contracts() {
  return (
    <Routes>
      <Route index element={<Ledger />} />
      <Route path="new" element={<NewContract />} />
      <Route path=":contractId" element={<ContractPage />} />
    </Routes>
  );
}
