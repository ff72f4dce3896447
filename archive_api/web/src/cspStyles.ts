// Ant Design's helpers (rc-util's updateCSS: every Table measuring its scroll bar, every Modal
// or Drawer locking the page's scrolling) add <style> elements without the CSP nonce that
// ConfigProvider's `csp` gives antd's own styles; the Content-Security-Policy blocks them with
// a console error. Every <style> this page's own scripts create carries the page's nonce, so
// the policy stays strict (no 'unsafe-inline') and those helpers work. Only scripts from
// 'self' run here, so this lets in no style that was not already ours.

/** Give every <style> element created from now on the page's nonce. */
export function nonceEveryStyle(nonce: string): void {
  if (!nonce) return;
  const create = document.createElement.bind(document);
  document.createElement = ((tag: string, options?: ElementCreationOptions) => {
    const made = create(tag, options);
    if (made instanceof HTMLStyleElement) made.nonce = nonce;
    return made;
  }) as typeof document.createElement;
}
