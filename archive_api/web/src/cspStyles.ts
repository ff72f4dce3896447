// Ant Design's helpers inject <style> elements of their own (every Table measures the scrollbar
// with one, a dialog locks the page's scrolling with one) without the nonce ConfigProvider gives
// antd's styles, and the Content-Security-Policy refuses them. A style element the app's own
// scripts create (already allowed by script-src 'self') carries the page's nonce.

/** Give every <style> element created from now on the page's nonce. */
export function nonceStyles(nonce: string): void {
  if (!nonce) return;
  const create = document.createElement.bind(document);
  document.createElement = function createElement(tagName: string, options?: ElementCreationOptions) {
    const element = create(tagName, options);
    if (element instanceof HTMLStyleElement) element.nonce = nonce;
    return element;
  } as typeof document.createElement;
}
