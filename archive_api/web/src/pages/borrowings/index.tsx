// 借阅: the list, a borrowing with its approval chain, the request form, the page viewer and
// the archivists' register; each page asks the API and shows its refusals.
import { Route, Routes } from "react-router-dom";
import "./borrowings.css";
import { BorrowingDetail } from "./Detail";
import { BorrowingList } from "./List";
import { Register } from "./Register";
import { RequestForm } from "./RequestForm";
import { Viewer } from "./Viewer";

export default function Borrowings() {
  return (
    <Routes>
      <Route index element={<BorrowingList />} />
      <Route path="new" element={<RequestForm />} />
      <Route path="register" element={<Register />} />
      <Route path=":id" element={<BorrowingDetail />} />
      <Route path=":id/read/:documentId" element={<Viewer />} />
    </Routes>
  );
}
