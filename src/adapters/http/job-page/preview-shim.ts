/**
 * The one script the proxy adds to a previewed app's HTML, served from the preview's own path (so the
 * preview's `script-src 'self'` allows it) and run before the app's module scripts. Generated apps
 * call their API at root paths (`fetch('/api/notes')`): under /jobs/:id/preview/:token/ those must
 * gain the preview's prefix. And the preview runs sandboxed in an opaque origin, where localStorage
 * throws: the app gets an in-memory one instead, gone with the tab.
 */
export const PREVIEW_SHIM_PATH = '__autonoma/preview.js';

export const PREVIEW_SHIM = `(() => {
  const script = document.currentScript;
  if (!script) return;
  const base = new URL('../', script.src);
  const prefix = base.pathname;
  const fix = (url) => {
    if (typeof url !== 'string' || !url.startsWith('/') || url.startsWith('//') || url.startsWith(prefix)) return url;
    return prefix + url.slice(1);
  };
  const fetch0 = window.fetch.bind(window);
  window.fetch = (input, init) => {
    if (typeof input === 'string') return fetch0(fix(input), init);
    if (input instanceof URL && input.origin === base.origin) return fetch0(fix(input.pathname) + input.search, init);
    return fetch0(input, init);
  };
  const open0 = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    return open0.call(this, method, fix(String(url)), ...rest);
  };
  const memoryStorage = () => {
    const items = new Map();
    return {
      get length() { return items.size; },
      key: (i) => [...items.keys()][i] ?? null,
      getItem: (k) => (items.has(String(k)) ? items.get(String(k)) : null),
      setItem: (k, v) => void items.set(String(k), String(v)),
      removeItem: (k) => void items.delete(String(k)),
      clear: () => items.clear(),
    };
  };
  for (const name of ['localStorage', 'sessionStorage']) {
    try {
      void window[name];
    } catch {
      Object.defineProperty(window, name, { value: memoryStorage(), configurable: true });
    }
  }
})();
`;
