import { html, type SafeHtml } from './html.js';
import type { PreviewStatusView } from './preview-types.js';

export interface PreviewView {
  id: string;
  token: string;
  status: PreviewStatusView | undefined;
  lifetimeMs: number;
}

const SANDBOX = 'allow-scripts allow-forms allow-modals allow-popups allow-downloads';

const clockTime = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function minutes(ms: number): string {
  const value = ms / 60_000;
  return value >= 1 ? `${Math.round(value)} minutes` : `${Math.max(1, Math.round(ms / 1000))} seconds`;
}

/**
 * The job page's preview section: a button to start one (a form, so it works without JavaScript),
 * the app framed while it runs, and what happened when it failed or stopped. The page's script
 * reloads it when the state changes (live-script.ts).
 */
export function renderPreview(view: PreviewView): SafeHtml {
  const id = encodeURIComponent(view.id);
  const t = encodeURIComponent(view.token);
  const state = view.status?.state ?? 'none';
  const statusUrl = `${id}/preview/status?t=${t}`;
  const start = html`<form method="post" action="${id}/preview?t=${t}">
    <button type="submit">Start preview</button>
  </form>`;
  const stop = html`<form method="post" action="${id}/preview/stop?t=${t}">
    <button type="submit">Stop preview</button>
  </form>`;
  let content: SafeHtml;
  if (state === 'running' && view.status) {
    const src = `${id}/preview/${t}/`;
    content = html`<p>
        Running until ${clockTime(view.status.expiresAt)} UTC.
        <a href="${src}" target="_blank" rel="noreferrer">Open in a new tab</a>
      </p>
      <iframe
        id="preview-frame"
        src="${src}"
        title="Live preview of the app"
        sandbox="${SANDBOX}"
        referrerpolicy="no-referrer"
      ></iframe>
      ${stop}`;
  } else if (state === 'starting') {
    content = html`<p role="status">
        Starting the preview: installing the dependencies, building and starting the app in the sandbox…
      </p>
      ${stop}`;
  } else {
    const message = view.status?.message;
    const outcome = !message
      ? ''
      : state === 'failed'
        ? html`<p role="alert"><strong>The preview failed.</strong></p>
            <pre class="preview-output">${message}</pre>`
        : html`<p role="status">${message}</p>`;
    content = html`${outcome}
      <p class="muted">
        Runs the app of this job's branch in the sandbox for ${minutes(view.lifetimeMs)}, then stops it.
      </p>
      ${start}`;
  }
  return html`<section
    id="preview"
    aria-labelledby="preview-heading"
    data-state="${state}"
    data-revision="${view.status?.revision ?? ''}"
    data-status="${statusUrl}"
  >
    <h2 id="preview-heading">Live preview</h2>
    ${content}
  </section>`;
}
