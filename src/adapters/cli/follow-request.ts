import type { ProgressEvent } from '../../core/domain/progress.js';
import { TERMINAL_STATUSES, type GenerationRequest } from '../../core/domain/request.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { ProgressBus } from '../../core/ports/progress-bus.js';

export interface FollowOptions {
  requestId: string;
  bus: ProgressBus & { replay?(requestId: string): Promise<ProgressEvent[]> };
  service: Pick<GenerationService, 'get'>;
  onEvent: (event: ProgressEvent) => void;
  /** Polls the service too, so a missed pub/sub message can never leave the CLI waiting forever. */
  pollMs?: number;
  onTick?: () => void;
}

/** Resolves with the request once it reaches a final state, streaming its events meanwhile. */
export async function followRequest(options: FollowOptions): Promise<GenerationRequest> {
  const seen = new Set<string>();
  const deliver = (event: ProgressEvent) => {
    const key = JSON.stringify(event);
    if (seen.has(key)) return;
    seen.add(key);
    options.onEvent(event);
  };
  let finish: (() => void) | undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const unsubscribe = await options.bus.subscribe(options.requestId, (event) => {
    deliver(event);
    if (event.type === 'finished') finish?.();
  });
  try {
    for (const event of (await options.bus.replay?.(options.requestId)) ?? []) deliver(event);
    for (;;) {
      const request = await options.service.get(options.requestId);
      if (request && TERMINAL_STATUSES.has(request.status)) return request;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        finished,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, options.pollMs ?? 1000);
        }),
      ]);
      if (timer) clearTimeout(timer);
      options.onTick?.();
    }
  } finally {
    await unsubscribe();
  }
}
