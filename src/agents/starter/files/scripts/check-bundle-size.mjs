// Fails the build when the UI outgrows its budget (gzip sizes of dist/client/assets).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = { js: 180, css: 20 };
const assetsDir = join('dist', 'client', 'assets');

const totals = { js: 0, css: 0 };
for (const file of readdirSync(assetsDir)) {
  const kind = file.endsWith('.js') ? 'js' : file.endsWith('.css') ? 'css' : undefined;
  if (kind) totals[kind] += gzipSync(readFileSync(join(assetsDir, file))).length;
}

let failed = false;
for (const kind of Object.keys(BUDGET_KB)) {
  const kb = totals[kind] / 1024;
  const ok = kb <= BUDGET_KB[kind];
  failed ||= !ok;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${kind}: ${kb.toFixed(1)} KB gzip (budget ${BUDGET_KB[kind]} KB)`);
}
if (failed) {
  console.error('Bundle budget exceeded: split code with dynamic import() or drop a dependency.');
  process.exit(1);
}
