import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from './app';

if (existsSync('.env')) process.loadEnvFile('.env');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';

// The production build puts the UI next to the server bundle: dist/client and dist/server.
const clientDir = fileURLToPath(new URL('../client', import.meta.url));
const app = createApp({ clientDir: existsSync(clientDir) ? clientDir : undefined });
const server = app.listen(port, host, () => {
  console.log(`Listening on http://${host}:${port}`);
});

const shutdown = (): void => {
  server.close(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
