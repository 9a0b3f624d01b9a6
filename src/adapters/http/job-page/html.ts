/**
 * HTML built from tagged templates: every interpolated value is escaped unless it is itself the
 * result of `html` (or `raw`, kept for markup this module wrote), so a prompt, a model's output or a
 * file's content can never open a tag or an attribute.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

type Value = SafeHtml | string | number | boolean | null | undefined | Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Markup this module produced itself (the inline script, entities already escaped). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** An href only for http(s) URLs; anything else (a local path, `javascript:`) is shown as text. */
export function linkOrText(url: string, label: string): SafeHtml {
  return /^https?:\/\//i.test(url)
    ? html`<a href="${url}" rel="noreferrer">${label}</a>`
    : html`${label} (${url})`;
}
