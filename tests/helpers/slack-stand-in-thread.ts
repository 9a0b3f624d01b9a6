/**
 * The Slack Web API stand-in on its own thread, for the benchmark: real Slack is another machine,
 * so its CPU must not be charged to the server being measured.
 */
import { parentPort } from 'node:worker_threads';
import { startSlackStandIn } from './slack-stand-in.js';

const standIn = await startSlackStandIn();
parentPort?.on('message', (message: string) => {
  if (message === 'roots') {
    const roots = standIn.callsTo('chat.postMessage').filter((c) => !c.body.thread_ts).length;
    parentPort?.postMessage({ roots });
  } else if (message === 'close') {
    void standIn.close().then(() => parentPort?.close());
  }
});
parentPort?.postMessage({ apiUrl: standIn.apiUrl });
