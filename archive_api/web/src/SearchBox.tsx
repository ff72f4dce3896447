// The archive search box at the top of every page: Enter opens the results of the words; on
// the results page it shows the words searched, and new words keep the filters chosen there.
import { SearchOutlined } from "@ant-design/icons";
import { Button, Input } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router-dom";
import { changed, fromParams, searchPath, toParams } from "./pages/search/query";

export function SearchBox() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const onResults = location.pathname === "/search";
  const searched = onResults ? fromParams(new URLSearchParams(location.search)).q : "";
  const [typed, setTyped] = useState(searched);
  // Back, Forward or a shared address change the words searched: the box follows them.
  useEffect(() => {
    setTyped(searched);
  }, [searched]);

  const search = (words: string) => {
    if (onResults) {
      const state = changed(fromParams(new URLSearchParams(location.search)), { q: words.trim() });
      const text = toParams(state).toString();
      navigate(text ? `/search?${text}` : "/search");
    } else navigate(searchPath(words));
  };

  return (
    <Input.Search
      id="archive-search"
      className="archive-search"
      role="searchbox"
      aria-label={t("search.box")}
      placeholder={t("search.boxPlaceholder")}
      maxLength={200}
      allowClear
      // Named in the page's language (the icon's own name is English).
      enterButton={<Button type="primary" icon={<SearchOutlined />} aria-label={t("search.box")} />}
      value={typed}
      onChange={(e) => setTyped(e.target.value)}
      onSearch={(value, _event, info) => {
        // Clearing the box is not a search.
        if (info?.source === "input") search(value);
      }}
    />
  );
}
