import { Result, Spin } from "antd";
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Route, Routes } from "react-router-dom";
import { Desk } from "./pages/Desk";
import { Login } from "./pages/Login";
import { useSession } from "./session";
import { Shell } from "./Shell";

// Each area of the app is its own chunk, loaded when first opened: the first load stays small.
// An area is src/pages/<area>/index.tsx (its routes) with its words in src/pages/<area>/i18n.ts,
// registered below as `const Area = lazy(() => import("./pages/area"))` and a route "/area/*".

const Credit = lazy(() => import("./pages/credit"));
const Customers = lazy(() => import("./pages/customers"));
const Handovers = lazy(() => import("./pages/handovers"));
const Audit = lazy(() => import("./pages/audit"));
const Admin = lazy(() => import("./pages/admin"));
const Account = lazy(() => import("./pages/account"));
const Borrowings = lazy(() => import("./pages/borrowings"));
const Search = lazy(() => import("./pages/search"));
const Retention = lazy(() => import("./pages/retention"));
const Contracts = lazy(() => import("./pages/contracts"));

function NoSuchPage() {
  const { t } = useTranslation();
  return <Result status="404" title={t("error.not_found")} />;
}

export function App() {
  const { me, loading } = useSession();
  if (loading) return <Spin className="loading" />;
  if (!me) return <Login />;
  return (
    <Shell>
      <Suspense fallback={<Spin className="loading" />}>
        <Routes>
          <Route path="/" element={<Desk />} />
          <Route path="/credit/*" element={<Credit />} />
          <Route path="/customers/*" element={<Customers />} />
          <Route path="/handovers/*" element={<Handovers />} />
          <Route path="/audit/*" element={<Audit />} />
          <Route path="/admin/*" element={<Admin />} />
          <Route path="/account/*" element={<Account />} />
          <Route path="/borrowings/*" element={<Borrowings />} />
          <Route path="/search/*" element={<Search />} />
          <Route path="/retention/*" element={<Retention />} />
          <Route path="/contracts/*" element={<Contracts />} />
          <Route path="*" element={<NoSuchPage />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}
