// Styles that libraries add at run time carry the page's CSP nonce. Ant Design's own styles get
// it from ConfigProvider, but rc-table measures scroll bars with a <style> it adds without one
// (@rc-component/util getScrollBarSize), which the policy blocks and the console reports for
// every antd Table. Only styles created by the app's own scripts are given the nonce.

/** The nonce the server put in this page (a fresh one on every load). */
export const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? "";

const create = document.createElement.bind(document);

document.createElement = ((tag: string, options?: ElementCreationOptions) => {
  const made = create(tag, options);
  if (nonce && made instanceof HTMLStyleElement) made.nonce = nonce;
  return made;
}) as typeof document.createElement;
