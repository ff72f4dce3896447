// 档案检索: the results of the words typed in the box at the top of every page, narrowed by
// filters and by the counts beside them; the whole search lives in the page's address.
import { Alert, Button, Col, Empty, List, Pagination, Row, Segmented, Space, Typography } from "antd";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch, withQuery } from "../../hooks";
import { useSession } from "../../session";
import { Facets } from "./Facets";
import { Filters } from "./Filters";
import { Hit } from "./Hit";
import { Sentence } from "./Sentence";
import {
  apiQuery,
  asked,
  changed,
  fromParams,
  narrowed,
  PAGE_SIZES,
  type SearchState,
  type Sort,
  toParams,
  unfiltered,
} from "./query";

export function SearchPage() {
  const { t } = useTranslation();
  const { holds } = useSession();
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => fromParams(params), [params]);
  const go = (next: SearchState) => setParams(toParams(next));
  const change = (patch: Partial<SearchState>) => go(changed(state, patch));
  const path = asked(state) ? withQuery("/search", apiQuery(state)) : null;
  const found = useFetch<Schemas["SearchPage"]>(path);
  const result = path === null ? null : found.data;

  // A new page of results is read from its top. (Braces: Chromium's scrollTo returns a
  // promise, which React would take for the effect's clean-up.)
  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [state.page]);

  return (
    <Space orientation="vertical" size={16} className="search-page">
      <Typography.Title level={3} className="search-title">
        {state.q ? <Sentence say={(q) => t("search.titleFor", { q })} words={state.q} /> : t("search.title")}
      </Typography.Title>
      <Filters state={state} onChange={change} onClear={() => go(unfiltered(state))} />
      {found.error !== null && path !== null && (
        <Space orientation="vertical" className="search-problem">
          <Problem error={found.error} />
          <Button onClick={found.reload}>{t("search.retry")}</Button>
        </Space>
      )}
      {!asked(state) ? (
        <Empty className="search-prompt" description={<Prompt />} />
      ) : (
        result &&
        !found.error && (
          <Row gutter={[16, 16]}>
            <Col xs={24} md={7} lg={6} className="search-facets">
              <Facets
                title={t("search.facet.type")}
                facets={result.by_type}
                chosen={state.docType}
                label={(type) => t(`customers.docType.${type}`)}
                onChoose={(type) => change({ docType: (type as SearchState["docType"]) ?? null })}
              />
              <Facets
                title={t("search.facet.year")}
                facets={[...result.by_year].reverse()}
                chosen={state.year === null ? null : String(state.year)}
                label={(year) => year}
                onChoose={(year) => change({ year: year === null ? null : Number(year) })}
              />
            </Col>
            <Col xs={24} md={17} lg={18}>
              <div className="search-bar">
                <Typography.Text type="secondary" className="search-total">
                  {t("search.total", { count: result.total })}
                </Typography.Text>
                <Segmented<Sort>
                  aria-label={t("search.filter.sort")}
                  value={state.sort}
                  onChange={(sort) => change({ sort })}
                  options={[
                    { value: "relevance", label: t("search.sort.relevance") },
                    { value: "date", label: t("search.sort.date") },
                  ]}
                />
              </div>
              {!holds("archivist") && result.total > 0 && state.q && (
                <Alert className="snippet-note" type="info" showIcon title={t("search.snippetNote")} />
              )}
              <List
                className="hits"
                loading={found.loading}
                dataSource={result.items}
                locale={{ emptyText: <NothingFound state={state} onClear={() => go(unfiltered(state))} /> }}
                renderItem={(hit) => (
                  <List.Item key={hit.document.id}>
                    <Hit hit={hit} terms={result.terms} />
                  </List.Item>
                )}
              />
              {result.total > 0 && (
                <Pagination
                  className="search-pages"
                  current={state.page}
                  pageSize={state.size}
                  total={result.total}
                  showSizeChanger
                  pageSizeOptions={PAGE_SIZES}
                  onChange={(page, size) => go(size === state.size ? { ...state, page } : { ...state, page: 1, size })}
                />
              )}
            </Col>
          </Row>
        )
      )}
    </Space>
  );
}

function Prompt() {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size={4}>
      <Typography.Text strong>{t("search.prompt")}</Typography.Text>
      <Typography.Text type="secondary">{t("search.promptHint")}</Typography.Text>
    </Space>
  );
}

function NothingFound({ state, onClear }: { state: SearchState; onClear: () => void }) {
  const { t } = useTranslation();
  return (
    <Empty
      className="search-empty"
      description={
        <Space orientation="vertical" size={4}>
          <Typography.Text strong>
            {state.q ? <Sentence say={(q) => t("search.emptyFor", { q })} words={state.q} /> : t("search.empty")}
          </Typography.Text>
          <Typography.Text type="secondary">{t("search.emptyHint")}</Typography.Text>
        </Space>
      }
    >
      {narrowed(state) && <Button onClick={onClear}>{t("search.clearFilters")}</Button>}
    </Empty>
  );
}
