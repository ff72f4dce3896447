// 信用: the credit manager's area — customers to review, their statements and credit profile.
import { Route, Routes } from "react-router-dom";
import "./credit.css";
import { CustomerCredit } from "./CustomerCredit";
import { CustomerList } from "./CustomerList";

export default function Credit() {
  return (
    <Routes>
      <Route index element={<CustomerList />} />
      <Route path=":customerId" element={<CustomerCredit />} />
    </Routes>
  );
}
