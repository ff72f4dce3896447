// The retention area: what is due for disposal, held, or lacking its start date; the disposal
// requests, their approvals, execution and certificates.
import { Route, Routes } from "react-router-dom";
import { DisposalList } from "./DisposalList";
import { DisposalPage } from "./DisposalPage";
import { Disposals } from "./Disposals";

export default function Retention() {
  return (
    <Routes>
      <Route index element={<DisposalList />} />
      <Route path="disposals" element={<Disposals />} />
      <Route path="disposals/:disposalId" element={<DisposalPage />} />
    </Routes>
  );
}
