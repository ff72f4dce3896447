import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { useTranslation } from "react-i18next";
import { BrowserRouter } from "react-router-dom";
import { App } from "./App";
import "./i18n";
import { SessionProvider } from "./session";
import "./styles.css";

// The server puts a fresh nonce in this tag on every page load; Ant Design's runtime styles
// carry it, so the Content-Security-Policy needs no 'unsafe-inline'.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? "";

// Some of Ant Design's helpers add a <style> without asking for the nonce (a table measuring
// the scrollbar, a dialog locking the page's scroll), which the policy blocks with a console
// error; every style element the app's scripts create gets the nonce. Only a script already
// running can create one, and it could read the nonce from the page anyway.
const createElement = document.createElement.bind(document);
document.createElement = ((tag: string, options?: ElementCreationOptions) => {
  const made = createElement(tag, options);
  if (nonce && made instanceof HTMLStyleElement) made.nonce = nonce;
  return made;
}) as typeof document.createElement;

function Root() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === "en" ? enUS : zhCN}
      csp={{ nonce }}
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
