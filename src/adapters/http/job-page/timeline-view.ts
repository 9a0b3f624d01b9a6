import { html, linkOrText, type SafeHtml } from './html.js';
import { STATE_LABELS, type Timeline, type TimelineUpdate } from './timeline.js';

const STATUS_LABELS: Record<Timeline['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Status and progress; the live script updates these same elements (found by id). */
export function renderStatus(timeline: Timeline): SafeHtml {
  return html`<p>
      Status:
      <strong id="job-status" role="status" aria-live="polite">${STATUS_LABELS[timeline.status]}</strong>
      <label for="job-percent" class="muted"
        >(<span id="job-percent-text">${Math.round(timeline.percent)}</span>% done)</label
      >
      <progress id="job-percent" max="100" value="${Math.round(timeline.percent)}">
        ${Math.round(timeline.percent)}%
      </progress>
    </p>
    <p id="job-finished" hidden><a href="">The job finished: reload the page for its results.</a></p>`;
}

export function renderTimeline(timeline: Timeline): SafeHtml {
  return html`<section aria-labelledby="timeline-heading">
    <h2 id="timeline-heading">Stages</h2>
    <ol class="timeline" id="timeline">
      ${timeline.stages.map(
        (row) =>
          html`<li data-stage="${row.stage}" data-state="${row.state}">
            <span class="label">${row.label}</span> <span class="state">${STATE_LABELS[row.state]}</span>
            <span class="message">${row.message}</span>
          </li> `,
      )}
    </ol>
  </section>`;
}

function renderUpdate(update: TimelineUpdate): SafeHtml {
  return html`<li>
    <time datetime="${update.at}">${update.at.slice(11, 19)}</time>
    ${update.message}${update.links.map((l) => html` · ${linkOrText(l.url, l.label)}`)}
  </li> `;
}

export function renderUpdates(timeline: Timeline): SafeHtml {
  return html`<section aria-labelledby="updates-heading">
    <h2 id="updates-heading">Updates</h2>
    <ul id="updates" aria-live="polite">
      ${timeline.updates.map(renderUpdate)}
    </ul>
  </section>`;
}

export { STATUS_LABELS };
