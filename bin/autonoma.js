#!/usr/bin/env node
// Runs the compiled build in production images (NODE_ENV=production and dist/ present), and the
// TypeScript sources through tsx everywhere else, so a fresh clone needs no build step.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli.js', import.meta.url);
let entry;
if (process.env.NODE_ENV === 'production' && existsSync(compiled)) {
  entry = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = await import(new URL('../src/cli.ts', import.meta.url).href);
}
await entry.runCli(process.argv);
