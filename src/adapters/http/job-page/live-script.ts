import { STATE_LABELS } from './timeline.js';
import { STATUS_LABELS } from './timeline-view.js';

/**
 * The page's only script, inline under the page's CSP nonce: it follows `/jobs/:id/events` and
 * updates the rendered timeline, status and updates in place; while a preview starts or runs it
 * asks `/jobs/:id/preview/status` and reloads when that changes. Everything it inserts goes in as text;
 * links get an href only when they are http(s). Without JavaScript the page is the same, as of its
 * loading.
 */
export const LIVE_SCRIPT = `(() => {
  // The preview section: while one starts or runs, a new state or head (an iteration) reloads the page.
  const preview = document.getElementById('preview');
  if (preview && ['starting', 'running'].includes(preview.dataset.state)) {
    const poll = () =>
      fetch(preview.dataset.status, { cache: 'no-store' })
        .then((response) => (response.ok ? response.json() : undefined))
        .then((status) => {
          const changed =
            status && (status.state !== preview.dataset.state || (status.revision || '') !== preview.dataset.revision);
          if (changed) location.reload();
          else setTimeout(poll, 2000);
        })
        .catch(() => setTimeout(poll, 5000));
    setTimeout(poll, 1000);
  }
  const root = document.getElementById('job');
  const source = root && root.dataset.events;
  if (!source || !window.EventSource) return;
  const stateLabels = ${JSON.stringify(STATE_LABELS)};
  const statusLabels = ${JSON.stringify(STATUS_LABELS)};
  const terminal = ['succeeded', 'failed', 'cancelled'];
  const setStage = (stage, state, message) => {
    const row = document.querySelector('#timeline li[data-stage="' + CSS.escape(stage) + '"]');
    if (!row || !stateLabels[state]) return;
    row.dataset.state = state;
    row.querySelector('.state').textContent = stateLabels[state];
    row.querySelector('.message').textContent = message || '';
  };
  const setPercent = (percent) => {
    const value = Math.round(percent);
    document.getElementById('job-percent').value = value;
    document.getElementById('job-percent').textContent = value + '%';
    document.getElementById('job-percent-text').textContent = String(value);
  };
  const setStatus = (status) => {
    if (!statusLabels[status]) return;
    document.getElementById('job-status').textContent = statusLabels[status];
    if (terminal.includes(status) && root.dataset.status !== status) {
      document.getElementById('job-finished').hidden = false;
    }
  };
  const update = (at, message, links) => {
    const item = document.createElement('li');
    const time = document.createElement('time');
    time.dateTime = at;
    time.textContent = String(at).slice(11, 19);
    item.append(time, ' ' + message);
    for (const link of links || []) {
      item.append(' · ');
      if (/^https?:\\/\\//i.test(link.url)) {
        const a = document.createElement('a');
        a.href = link.url;
        a.rel = 'noreferrer';
        a.textContent = link.label;
        item.append(a);
      } else {
        item.append(link.label + ' (' + link.url + ')');
      }
    }
    document.getElementById('updates').append(item);
  };
  const events = new EventSource(source);
  events.addEventListener('snapshot', (message) => {
    const snapshot = JSON.parse(message.data);
    for (const row of snapshot.stages) setStage(row.stage, row.state, row.message);
    setPercent(snapshot.percent);
    setStatus(snapshot.status);
    const list = document.getElementById('updates');
    list.replaceChildren();
    for (const item of snapshot.updates) update(item.at, item.message, item.links);
    root.dataset.live = 'connected';
    if (terminal.includes(snapshot.status)) events.close();
  });
  events.addEventListener('error', () => {
    if (events.readyState === EventSource.CLOSED) root.dataset.live = 'closed';
  });
  events.addEventListener('progress', (message) => {
    const event = JSON.parse(message.data);
    setPercent(Math.max(event.percent, Number(document.getElementById('job-percent').value)));
    if (event.type === 'stage') setStage(event.stage, event.state, event.message);
    else update(event.at, event.message, event.links);
    if (event.type === 'finished') {
      setStatus(event.status);
      events.close();
    } else if (document.getElementById('job-status').textContent === statusLabels.queued) {
      setStatus('running');
    }
  });
})();`;
