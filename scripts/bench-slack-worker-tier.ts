/**
 * The worker tier of the Slack benchmark, in its own process as deployed (`autonoma worker`): it
 * handles the inbox the web tier fills (posts each job's thread root, stores and queues the job).
 * Slack's Web API stand-in lives here too, off the web tier's event loop, as Slack would be.
 * Started by bench-slack.ts over IPC: `pause`/`resume` stop and restart taking entries (to measure
 * the web tier as if the worker tier ran on other CPUs), `roots` answers with the number of thread
 * roots posted, `stop` exits.
 */
import { loadConfig } from '../src/core/config.js';
import { createLogger } from '../src/core/logger.js';
import { createRedisConnection, quitAll } from '../src/jobs/redis.js';
import { lowerWorkerPriority } from '../src/jobs/worker-priority.js';
import { createRuntime, startChatInbox } from '../src/main.js';
import { startSlackStandIn } from '../tests/helpers/slack-stand-in.js';

const send = (message: unknown) => process.send?.(message);

// The stand-in is a plain HTTP server on this thread; it lives here only for its URL in the config.
const standIn = await startSlackStandIn();
const config = loadConfig(process.env, { SLACK_API_URL: standIn.apiUrl });
const logger = createLogger({ level: config.logLevel });
// As `autonoma worker` does, before anything else starts (WORKER_NICE, default 10).
lowerWorkerPriority(config.worker.nice, logger);
const runtime = await createRuntime(config, logger);
const connection = createRedisConnection(config.redisUrl, 'worker');
const inbox = startChatInbox(runtime, connection);
if (!inbox)
  throw new Error('No inbox handlers: the benchmark sets SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.');
await inbox.worker.waitUntilReady();

process.on('message', (message: { type?: string }) => {
  if (message.type === 'roots') {
    const roots = standIn.callsTo('chat.postMessage').filter((c) => !c.body.thread_ts).length;
    send({ type: 'roots', roots });
  } else if (message.type === 'pause') {
    // Waits for entries in hand, so nothing of the worker tier runs once `paused` is sent.
    void inbox.worker.pause().then(() => send({ type: 'paused' }));
  } else if (message.type === 'resume') {
    inbox.worker.resume();
    send({ type: 'resumed' });
  } else if (message.type === 'stop') {
    void (async () => {
      await inbox.close();
      await quitAll([connection]);
      await runtime.close();
      await standIn.close();
      process.exit(0);
    })();
  }
});
send({ type: 'ready' });
