// Runs INSIDE the sandbox, next to the generated app (untrusted code): starts the built app on a
// loopback port of the sandbox's own network namespace, and forwards every connection made to a unix
// socket in the bind-mounted socket directory to that port. The server on the host reaches the app
// only through that socket, so the sandbox keeps no network of its own.
//
// Configuration comes as JSON in AUTONOMA_PREVIEW (see sandbox-preview.ts); plain JavaScript so it
// needs no build step inside the sandbox.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { setTimeout } from 'node:timers';

const config = JSON.parse(process.env.AUTONOMA_PREVIEW ?? '{}');
const { AUTONOMA_PREVIEW: _config, ...appEnv } = process.env;

const app = spawn(config.start.command, config.start.args, {
  cwd: config.appDir,
  env: { ...appEnv, PORT: String(config.port), HOST: '127.0.0.1', NODE_ENV: 'production' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
// The preview lives as long as the app: when it stops, so does the bridge (and the sandbox with it).
app.on('exit', (code, signal) => {
  console.error(`The app stopped (${signal ?? `exit ${code}`}).`);
  process.exit(1);
});
for (const name of ['SIGTERM', 'SIGINT']) {
  process.on(name, () => {
    app.kill('SIGTERM');
    setTimeout(() => process.exit(0), 1000).unref();
  });
}

const bridge = net.createServer((client) => {
  const upstream = net.connect({ host: '127.0.0.1', port: config.port });
  client.pipe(upstream);
  upstream.pipe(client);
  // Not listening yet, or gone: the host sees a closed connection and tries again later.
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});
bridge.maxConnections = config.maxConnections;
bridge.listen(config.socket);
