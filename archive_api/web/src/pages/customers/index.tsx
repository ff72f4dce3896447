// The customers area: search, open a new file, the customer file with its uploads, and the
// report of incomplete files, the secrecy proposals.
import { Route, Routes } from "react-router-dom";
import "./customers.css";
import { CustomerFile } from "./CustomerFile";
import { Incomplete } from "./Incomplete";
import { NewCustomer } from "./NewCustomer";
import { Proposals } from "./Proposals";
import { Search } from "./Search";

export default function Customers() {
  return (
    <Routes>
      <Route index element={<Search />} />
      <Route path="new" element={<NewCustomer />} />
      <Route path="incomplete" element={<Incomplete />} />
      <Route path="secrecy-proposals" element={<Proposals />} />
      <Route path=":id" element={<CustomerFile />} />
    </Routes>
  );
}
