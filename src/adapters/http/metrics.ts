import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from '../../core/logger.js';
import { withTimeout } from './timeout.js';

/** Counts keyed by a label value, e.g. `{ queued: 3, running: 1 }`. */
export type CountCollector = () => Promise<Record<string, number>>;

export interface MetricsOptions {
  /** Requests per status, read from the job store on every scrape. */
  collectJobStates?: CountCollector;
  /** BullMQ job counts per state (waiting, active, delayed, failed), read on every scrape. */
  collectQueueDepth?: CountCollector;
  /** Where failing collectors are reported; they never break a scrape. */
  logger?: Logger;
  /** Bound on each collector so a hung store cannot hang the scrape. Default 2000 ms. */
  collectTimeoutMs?: number;
}

export interface RequestSample {
  method: string;
  /** The route pattern, never the raw URL. */
  route: string;
  status: number;
  seconds: number;
}

export interface HttpMetrics {
  readonly registry: Registry;
  /** The Content-Type of `render()`'s output. */
  readonly contentType: string;
  observeRequest(sample: RequestSample): void;
  /** Prometheus text exposition of every metric in the registry. */
  render(): Promise<string>;
}

/** Prometheus metrics in a registry of their own (nothing global, so tests and apps never clash). */
export function createMetrics(options: MetricsOptions = {}): HttpMetrics {
  const registry = new Registry();
  const timeoutMs = options.collectTimeoutMs ?? 2000;
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const collectErrors = new Counter({
    name: 'autonoma_metrics_collect_errors_total',
    help: 'Scrape-time collectors that failed or timed out, by collector.',
    labelNames: ['collector'] as const,
    registers: [registry],
  });

  /** Replaces a gauge's values with a collector's counts; on failure, reports and leaves it empty. */
  const fill = async (gauge: Gauge<'state'>, name: string, collect: CountCollector) => {
    try {
      const counts = await withTimeout(collect(), timeoutMs, `${name} collector`);
      // Reset only once the counts are in, so a concurrent scrape never sees an empty gauge.
      gauge.reset();
      for (const [state, count] of Object.entries(counts)) {
        if (Number.isFinite(count)) gauge.set({ state }, count);
      }
    } catch (error) {
      gauge.reset();
      collectErrors.inc({ collector: name });
      options.logger?.warn({ err: error, collector: name }, 'metrics collector failed');
    }
  };

  const jobs = new Gauge({
    name: 'autonoma_jobs',
    help: 'Generation requests by state, as stored.',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'autonoma_queue_depth',
    help: 'Queued jobs by BullMQ state (waiting, active, delayed, failed).',
    labelNames: ['state'] as const,
    registers: [registry],
  });

  // Collected before serialising (not in gauge `collect` hooks, which run in parallel with the
  // counter's read) so a collector failure shows in the same scrape.
  const collectAll = () =>
    Promise.all([
      options.collectJobStates && fill(jobs, 'jobs', options.collectJobStates),
      options.collectQueueDepth && fill(queueDepth, 'queue_depth', options.collectQueueDepth),
    ]);

  return {
    registry,
    contentType: registry.contentType,
    observeRequest({ method, route, status, seconds }) {
      requestDuration.observe({ method, route, status: String(status) }, seconds);
    },
    async render() {
      await collectAll();
      return registry.metrics();
    },
  };
}
