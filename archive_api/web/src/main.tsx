import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { useTranslation } from "react-i18next";
import { BrowserRouter } from "react-router-dom";
import { App } from "./App";
import { nonceStyles } from "./cspStyles";
import "./i18n";
import { useReducedMotion } from "./motion";
import { SessionProvider } from "./session";
import "./styles.css";

// The server puts a fresh nonce in the page on every load; Ant Design's runtime styles
// carry it, so the Content-Security-Policy needs no 'unsafe-inline'.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? "";
nonceStyles(nonce);

function Root() {
  const { i18n } = useTranslation();
  const still = useReducedMotion();
  return (
    <ConfigProvider
      locale={i18n.language === "en" ? enUS : zhCN}
      csp={{ nonce }}
      theme={{ token: { motion: !still } }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <BrowserRouter>
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
