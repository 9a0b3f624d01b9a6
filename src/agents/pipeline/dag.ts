import { setMaxListeners } from 'node:events';
import { AutonomaError, throwIfAborted } from '../../core/errors.js';

export interface DagNode<Id extends string> {
  id: Id;
  dependsOn: readonly Id[];
  run(signal: AbortSignal): Promise<void>;
}

/**
 * Runs nodes as soon as their dependencies are done, independent ones concurrently. The first
 * failure aborts the nodes still running (through the shared signal) and is rethrown once they stop.
 */
export async function runDag<Id extends string>(
  nodes: readonly DagNode<Id>[],
  signal: AbortSignal,
): Promise<void> {
  const ids = new Set(nodes.map((n) => n.id));
  for (const node of nodes) {
    for (const dep of node.dependsOn) {
      if (!ids.has(dep))
        throw new AutonomaError('internal', `Pipeline step ${node.id} depends on unknown step ${dep}`);
    }
  }
  const local = new AbortController();
  // Every concurrent agent and each of its in-flight tool calls listens on this one signal.
  setMaxListeners(200, local.signal);
  const onAbort = () => local.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const done = new Set<Id>();
  const started = new Set<Id>();
  const running = new Map<Id, Promise<void>>();
  let failure: unknown;
  try {
    while (done.size < nodes.length) {
      throwIfAborted(signal);
      if (failure === undefined) {
        for (const node of nodes) {
          if (started.has(node.id) || !node.dependsOn.every((d) => done.has(d))) continue;
          started.add(node.id);
          running.set(
            node.id,
            node.run(local.signal).then(
              () => {
                done.add(node.id);
              },
              (error: unknown) => {
                if (failure === undefined) failure = error;
                local.abort(error);
              },
            ),
          );
        }
      }
      if (running.size === 0) {
        if (failure !== undefined) throw failure;
        throw new AutonomaError('internal', 'Pipeline has a dependency cycle');
      }
      const finished = await Promise.race([...running.entries()].map(([id, p]) => p.then(() => id)));
      running.delete(finished);
      if (failure !== undefined && running.size === 0) throw failure;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
