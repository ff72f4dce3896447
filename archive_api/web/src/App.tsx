import { Spin } from "antd";
import { Route, Routes } from "react-router-dom";
import { Desk } from "./pages/Desk";
import { Login } from "./pages/Login";
import { useSession } from "./session";
import { Shell } from "./Shell";

export function App() {
  const { me, loading } = useSession();
  if (loading) return <Spin className="loading" />;
  if (!me) return <Login />;
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<Desk />} />
        <Route path="*" element={<Desk />} />
      </Routes>
    </Shell>
  );
}
