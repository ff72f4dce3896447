// The retention area: what is due for disposal, held, or lacking its start date.
import { Route, Routes } from "react-router-dom";
import { DisposalList } from "./DisposalList";

export default function Retention() {
  return (
    <Routes>
      <Route index element={<DisposalList />} />
    </Routes>
  );
}
