// The customers area: search, open a new file, and the customer file with its uploads.
import { Route, Routes } from "react-router-dom";
import "./customers.css";
import { CustomerFile } from "./CustomerFile";
import { NewCustomer } from "./NewCustomer";
import { Search } from "./Search";

export default function Customers() {
  return (
    <Routes>
      <Route index element={<Search />} />
      <Route path="new" element={<NewCustomer />} />
      <Route path=":id" element={<CustomerFile />} />
    </Routes>
  );
}
