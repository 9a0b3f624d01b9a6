/** The job page's only stylesheet: readable in light and dark mode, state never shown by colour alone. */
export const PAGE_STYLE = `
:root { color-scheme: light dark; --muted: #5f6368; --ok: #137333; --bad: #b3261e; --run: #0b57d0; }
@media (prefers-color-scheme: dark) { :root { --muted: #b0b3b8; --ok: #6dd58c; --bad: #f2b8b5; --run: #a8c7fa; } }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid color-mix(in srgb, currentColor 20%, transparent); }
.muted, .message { color: var(--muted); }
.prompt { white-space: pre-wrap; border-left: 4px solid var(--run); margin: 0; padding: 0.25rem 1rem; }
progress { width: 100%; max-width: 30rem; height: 1rem; }
#updates li { white-space: pre-line; }
ol.timeline { list-style: none; padding: 0; display: grid; gap: 0.25rem; }
ol.timeline li { display: grid; grid-template-columns: 12rem 7rem 1fr; gap: 0.5rem; }
[data-state="completed"] .state { color: var(--ok); }
[data-state="completed"] .state::before { content: "✓ "; }
[data-state="failed"] .state { color: var(--bad); }
[data-state="failed"] .state::before { content: "✗ "; }
[data-state="started"] .state { color: var(--run); font-weight: 600; }
[data-state="started"] .state::before { content: "▶ "; }
[data-state="skipped"] .state::before { content: "– "; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 0.25rem 0.75rem 0.25rem 0; }
td.number, th.number { text-align: right; }
pre { overflow: auto; max-height: 40rem; padding: 0.75rem; background: color-mix(in srgb, currentColor 6%, transparent); }
details { margin: 0.25rem 0; }
.screenshots { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.screenshots img { max-width: 28rem; height: auto; border: 1px solid var(--muted); }
nav.files ul { list-style: none; padding-left: 1rem; margin: 0; }
nav.files > ul { padding-left: 0; }
a[aria-current="page"] { font-weight: 700; }
#preview-frame { width: 100%; height: 40rem; border: 1px solid var(--muted); background: #fff; }
#preview form { display: inline-block; margin-right: 0.5rem; }
a:focus-visible, summary:focus-visible { outline: 3px solid var(--run); outline-offset: 2px; }
@media (max-width: 40rem) { ol.timeline li { grid-template-columns: 1fr 1fr; } ol.timeline .message { grid-column: 1 / -1; } }
`;
