// The archive search area: one page of results, its state in the address.
import { Route, Routes } from "react-router-dom";
import "./search.css";
import { SearchPage } from "./SearchPage";

export default function Search() {
  return (
    <Routes>
      <Route index element={<SearchPage />} />
    </Routes>
  );
}
