/** `src/client/styles.css`: a small, dependency-free stylesheet (light and dark). */
export const STYLES_CSS = `:root {
  color-scheme: light dark;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  line-height: 1.5;
  --accent: #4f46e5;
  --border: #d4d4d8;
  --danger: #dc2626;
}

* {
  box-sizing: border-box;
}

body {
  margin: 0;
}

.app-header {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 1rem;
  padding: 0.75rem 1.5rem;
  border-bottom: 1px solid var(--border);
}

.app-header h1 {
  font-size: 1.25rem;
  margin: 0 1rem 0 0;
}

.app-header nav {
  display: flex;
  gap: 0.5rem;
  flex: 1;
}

.app-header nav button[aria-current='page'] {
  background: var(--accent);
  color: white;
}

main {
  max-width: 72rem;
  margin: 0 auto;
  padding: 1.5rem;
}

button {
  font: inherit;
  padding: 0.35rem 0.8rem;
  border: 1px solid var(--border);
  border-radius: 0.375rem;
  background: transparent;
  color: inherit;
  cursor: pointer;
}

button:disabled {
  opacity: 0.5;
  cursor: default;
}

button.primary {
  background: var(--accent);
  border-color: var(--accent);
  color: white;
}

button.danger {
  color: var(--danger);
}

.toolbar {
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 1rem;
}

table {
  width: 100%;
  border-collapse: collapse;
  margin: 1rem 0;
}

th,
td {
  text-align: left;
  padding: 0.5rem;
  border-bottom: 1px solid var(--border);
  vertical-align: top;
}

th button.sort {
  border: none;
  padding: 0;
  font-weight: 600;
}

td.actions {
  white-space: nowrap;
  display: flex;
  gap: 0.5rem;
}

form.entity-form {
  display: grid;
  gap: 0.75rem;
  max-width: 40rem;
  padding: 1rem;
  margin: 1rem 0;
  border: 1px solid var(--border);
  border-radius: 0.5rem;
}

.field {
  display: grid;
  gap: 0.25rem;
}

.field label {
  font-weight: 600;
}

input,
select,
textarea {
  font: inherit;
  padding: 0.4rem 0.5rem;
  border: 1px solid var(--border);
  border-radius: 0.375rem;
  background: transparent;
  color: inherit;
}

input[type='checkbox'] {
  justify-self: start;
}

[aria-invalid='true'] {
  border-color: var(--danger);
}

.field-error,
.error-banner {
  color: var(--danger);
  margin: 0;
}

.form-actions,
.search,
.pagination {
  display: flex;
  align-items: center;
  gap: 0.5rem;
}

.empty {
  color: #71717a;
}

.star-rating {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0.125rem;
}

.field .star-rating label {
  font-weight: 400;
  cursor: pointer;
}

.star {
  font-size: 1.5rem;
  line-height: 1;
  color: var(--border);
}

.star.on,
.stars {
  color: #f59e0b;
}

.star:focus-within,
.star-clear:focus-within {
  outline: 2px solid var(--accent);
  outline-offset: 2px;
}

.star-clear {
  margin-right: 0.5rem;
}

.badge {
  display: inline-block;
  padding: 0 0.5rem;
  border-radius: 999px;
  border: 1px solid var(--border);
  font-size: 0.875em;
  white-space: nowrap;
}

.money {
  font-variant-numeric: tabular-nums;
  text-align: right;
}

.home {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
  gap: 1rem;
}

.summary {
  border: 1px solid var(--border);
  border-radius: 0.5rem;
  padding: 1rem;
}

.summary h2 {
  margin: 0 0 0.5rem;
  font-size: 1.125rem;
}

.summary .count strong {
  font-size: 1.5rem;
}

.derived dt {
  font-weight: 600;
}

.derived dd {
  margin: 0 0 0.5rem;
  font-variant-numeric: tabular-nums;
}

.derived-groups th {
  font-weight: normal;
  text-align: left;
  padding-right: 1rem;
}

.badge.flag {
  border-color: #b45309;
  color: #b45309;
}

.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
}
`;
