// 在线查看: a borrowed document as watermarked page images, with thumbnails and zoom. There is no
// download control here: a `view` borrowing never gets the file, only the stamped images.
import { ArrowLeftOutlined, ZoomInOutlined, ZoomOutOutlined } from "@ant-design/icons";
import { Alert, Button, Col, Row, Slider, Space, Spin, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import type { Schemas } from "../../api/types";
import { Problem } from "../../components/Problem";
import { useFetch } from "../../hooks";

const ZOOMS = { min: 50, max: 200, step: 25 };

/** The zoom after a step in or out, kept within the slider's range. */
export function zoomed(current: number, direction: 1 | -1): number {
  return Math.min(ZOOMS.max, Math.max(ZOOMS.min, current + direction * ZOOMS.step));
}

/** Where page `n` is drawn at a size: thumbnails small, the page for the screen, full detail
 * once zoomed past the screen's size. */
export function pageUrl(documentId: string, n: number, size: "thumb" | "screen" | "full"): string {
  return `/api/v1/documents/${documentId}/pages/${n}?size=${size}`;
}

export function Viewer() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id, documentId = "" } = useParams();
  const document = useFetch<Schemas["DocumentRead"]>(`/documents/${documentId}`);
  const count = useFetch<{ version: number; pages: number }>(`/documents/${documentId}/pages`);
  const [page, setPage] = useState(1);
  const [zoom, setZoom] = useState(100);
  // Every image is rendered and stamped on request: the page shown first, then the small
  // thumbnails one after another, so the server is not asked for all of them at once.
  const [thumbsAsked, setThumbsAsked] = useState(0);
  const askNextThumb = () => setThumbsAsked((asked) => Math.max(asked, 1));
  const thumbDone = (n: number) => setThumbsAsked((asked) => Math.max(asked, n + 1));
  const pages = count.data?.pages ?? 0;
  // Right-click "save image" is not offered either; the watermark traces any copy regardless.
  const noMenu = (event: React.MouseEvent) => event.preventDefault();

  return (
    <>
      <Space className="bw-page-head" wrap>
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/borrowings/${id}`)}>
          {t("borrowings.viewer.back")}
        </Button>
        <Typography.Title level={3}>{document.data?.title ?? t("borrowings.viewer.title")}</Typography.Title>
        {pages > 0 && <Typography.Text type="secondary">{t("borrowings.viewer.pages", { count: pages })}</Typography.Text>}
      </Space>
      <Alert type="warning" showIcon title={t("borrowings.viewer.watermark")} />
      <Problem error={count.error ?? document.error} />
      {count.loading && <Spin className="loading" />}
      {pages > 0 && (
        <Row gutter={16} className="bw-viewer">
          <Col flex="140px" className="bw-viewer-thumbs" role="list" aria-label={t("borrowings.viewer.title")}>
            {Array.from({ length: pages }, (_, index) => index + 1).map((n) => (
              <button
                type="button"
                key={n}
                role="listitem"
                className={n === page ? "bw-thumb bw-thumb-current" : "bw-thumb"}
                aria-current={n === page ? "page" : undefined}
                onClick={() => setPage(n)}
              >
                {n <= thumbsAsked ? (
                  <img
                    src={pageUrl(documentId, n, "thumb")}
                    alt={t("borrowings.viewer.page", { n })}
                    draggable={false}
                    onContextMenu={noMenu}
                    onLoad={() => thumbDone(n)}
                    onError={() => thumbDone(n)}
                  />
                ) : (
                  <span className="bw-thumb-waiting" />
                )}
                <span>{n}</span>
              </button>
            ))}
          </Col>
          <Col flex="auto">
            <Space className="bw-viewer-zoom" wrap>
              <Button icon={<ZoomOutOutlined />} aria-label={t("borrowings.viewer.zoomOut")} onClick={() => setZoom(zoomed(zoom, -1))} />
              <Slider
                className="bw-zoom-slider"
                min={ZOOMS.min}
                max={ZOOMS.max}
                step={ZOOMS.step}
                value={zoom}
                onChange={setZoom}
                tooltip={{ formatter: (value) => `${value}%` }}
                ariaLabelForHandle={t("borrowings.viewer.zoom")}
              />
              <Button icon={<ZoomInOutlined />} aria-label={t("borrowings.viewer.zoomIn")} onClick={() => setZoom(zoomed(zoom, 1))} />
              <Typography.Text>{t("borrowings.viewer.page", { n: page })}</Typography.Text>
            </Space>
            <div className="bw-viewer-page">
              <img
                className="bw-page-image"
                src={pageUrl(documentId, page, zoom > 100 ? "full" : "screen")}
                alt={t("borrowings.viewer.page", { n: page })}
                style={{ width: `${zoom}%` }}
                draggable={false}
                onContextMenu={noMenu}
                onLoad={askNextThumb}
                onError={askNextThumb}
              />
            </div>
          </Col>
        </Row>
      )}
    </>
  );
}
