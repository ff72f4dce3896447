// 交接 (docs/domain.md, "Handover"): the list, the department head's wizard, and one handover.
import { Route, Routes } from "react-router-dom";
import { HandoverList } from "./HandoverList";
import { HandoverPage } from "./HandoverPage";
import { HandoverWizard } from "./HandoverWizard";

export default function Handovers() {
  return (
    <Routes>
      <Route index element={<HandoverList />} />
      <Route path="new" element={<HandoverWizard />} />
      <Route path=":id" element={<HandoverPage />} />
    </Routes>
  );
}
