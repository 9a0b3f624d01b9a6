import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { GenerationRequest as RequestRow } from '../../generated/prisma/client.js';
import {
  JobResultSchema,
  PullRequestTargetSchema,
  ThreadRefSchema,
  type GenerationRequest,
  type ValidGenerationRequestInput,
} from '../domain/request.js';
import { AutonomaError } from '../errors.js';
import type {
  AgentRunFinish,
  AgentRunRecord,
  AgentRunSummary,
  ComponentRecord,
  JobStore,
  PullRequestRecord,
} from '../ports/job-store.js';
import { DEFAULT_DB_RETRY, retryTransientDb, type DbRetryPolicy } from './transient-db-errors.js';

/** Messages stored for users are bounded: a runaway stack trace must not bloat a row or a chat reply. */
const MAX_ERROR_CHARS = 4000;

/** A stored identity or installation, as the domain names them. */
interface IdentityRow {
  platform: GenerationRequest['source'];
  externalId: string;
  displayName?: string | null;
  name?: string | null;
}

function identityRef(row: IdentityRow | null | undefined) {
  if (!row) return null;
  const displayName = row.displayName ?? row.name ?? undefined;
  return { platform: row.platform, externalId: row.externalId, ...(displayName ? { displayName } : {}) };
}

/** Reads that authorization or tenant filters depend on bring who asked and from where. */
const WHO = { requester: true, installation: true } as const;

function toDomain(
  row: RequestRow & { requester?: IdentityRow | null; installation?: IdentityRow | null },
): GenerationRequest {
  const result = row.result === null ? null : JobResultSchema.safeParse(row.result);
  const target = row.target === null ? null : PullRequestTargetSchema.safeParse(row.target);
  return {
    id: row.id,
    kind: row.kind,
    prompt: row.prompt,
    source: row.sourcePlatform,
    thread: ThreadRefSchema.parse(row.threadRef),
    idempotencyKey: row.idempotencyKey,
    status: row.status,
    stage: row.stage,
    percent: row.percent,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    result: result?.success ? result.data : null,
    attempts: row.attempts,
    parentRequestId: row.parentRequestId,
    target: target?.success ? target.data : null,
    ...(row.requester !== undefined ? { requester: identityRef(row.requester) } : {}),
    ...(row.installation !== undefined ? { installation: identityRef(row.installation) } : {}),
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}

/** Identity and installation rows never change id: remembered per store, bounded. */
const ID_CACHE_LIMIT = 10_000;

function rememberedIds() {
  const ids = new Map<string, string>();
  return {
    get: (key: string) => ids.get(key),
    set(key: string, id: string) {
      if (ids.size >= ID_CACHE_LIMIT) ids.delete(ids.keys().next().value as string);
      ids.set(key, id);
    },
  };
}

export interface PrismaJobStoreOptions {
  /**
   * How the writes a job's outcome depends on (running, succeeded, failed, cancelled, the pull
   * request record) ride out a database blip; see transient-db-errors.ts.
   */
  retry?: DbRetryPolicy;
}

export function createPrismaJobStore(prisma: PrismaClient, options: PrismaJobStoreOptions = {}): JobStore {
  const policy = options.retry ?? DEFAULT_DB_RETRY;
  // Every retried write is idempotent (an update to fixed values, an upsert, a replace), so a try
  // whose reply was lost after the commit does no harm when repeated.
  const retried = <T>(operation: string, work: () => Promise<T>) => retryTransientDb(operation, work, policy);
  const identityIds = rememberedIds();
  const installationIds = rememberedIds();

  // Each inbound event names its user and workspace; once their ids are known, a chat command costs
  // one insert instead of three statements. Each upsert is one INSERT … ON CONFLICT: a new
  // workspace's first commands arrive together (the inbox handles 16 at once), and Prisma's upsert
  // (a read, then an insert) lets all but one fail.
  async function upsertIdentity(ref: ValidGenerationRequestInput['requester']) {
    if (!ref) return undefined;
    const key = `${ref.platform}:${ref.externalId}:${ref.displayName ?? ''}`;
    const known = identityIds.get(key);
    if (known) return known;
    const [row] = await prisma.$queryRaw<Array<{ id: string }>>`
      INSERT INTO platform_identities (id, platform, external_id, display_name)
      VALUES (gen_random_uuid(), ${ref.platform}::"Platform", ${ref.externalId}, ${ref.displayName ?? null})
      ON CONFLICT (platform, external_id) DO UPDATE
        SET display_name = COALESCE(EXCLUDED.display_name, platform_identities.display_name)
      RETURNING id::text AS id`;
    if (!row) throw new AutonomaError('internal', `No identity row for ${ref.platform} ${ref.externalId}.`);
    identityIds.set(key, row.id);
    return row.id;
  }

  async function upsertInstallation(ref: ValidGenerationRequestInput['installation']) {
    if (!ref) return undefined;
    const key = `${ref.platform}:${ref.externalId}`;
    const known = installationIds.get(key);
    if (known) return known;
    // The no-op update makes RETURNING give the existing row's id too.
    const [row] = await prisma.$queryRaw<Array<{ id: string }>>`
      INSERT INTO installations (id, platform, external_id, name, updated_at)
      VALUES (gen_random_uuid(), ${ref.platform}::"Platform", ${ref.externalId}, ${ref.displayName ?? null}, now())
      ON CONFLICT (platform, external_id) DO UPDATE SET platform = EXCLUDED.platform
      RETURNING id::text AS id`;
    if (!row)
      throw new AutonomaError('internal', `No installation row for ${ref.platform} ${ref.externalId}.`);
    installationIds.set(key, row.id);
    return row.id;
  }

  async function requireRequest(id: string): Promise<RequestRow> {
    const row = await prisma.generationRequest.findUnique({ where: { id } });
    if (!row) throw new AutonomaError('not_found', `No generation request with id ${id}.`);
    return row;
  }

  return {
    async createRequest(input) {
      // Insert first and fall back to a lookup on conflict: the common case costs one insert (plus the
      // identity upserts, in parallel, until their ids are remembered); a retried delivery pays the lookup.
      const [requesterId, installationId] = await Promise.all([
        upsertIdentity(input.requester),
        upsertInstallation(input.installation),
      ]);
      // One parameterised statement: every chat command comes through here, and Prisma's query
      // compiler costs about 2 ms of CPU per create against 0.6 ms for this (measured on 2 cores).
      const inserted = await prisma.$queryRaw<Array<{ id: string; created_at: Date }>>`
        INSERT INTO generation_requests
          (id, kind, prompt, source_platform, thread_ref, idempotency_key,
           requester_id, installation_id, parent_request_id, target, updated_at)
        VALUES
          (gen_random_uuid(), ${input.kind}::"RequestKind", ${input.prompt}, ${input.source}::"Platform",
           ${JSON.stringify(input.thread)}::jsonb, ${input.idempotencyKey},
           ${requesterId ?? null}::uuid, ${installationId ?? null}::uuid, ${input.parentRequestId ?? null}::uuid,
           ${input.target ? JSON.stringify(input.target) : null}::jsonb, now())
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id::text AS id, created_at`;
      const fresh = inserted[0];
      if (fresh) {
        return {
          request: {
            id: fresh.id,
            kind: input.kind,
            prompt: input.prompt,
            source: input.source,
            thread: input.thread,
            idempotencyKey: input.idempotencyKey,
            status: 'queued',
            stage: null,
            percent: 0,
            errorCode: null,
            errorMessage: null,
            result: null,
            attempts: 0,
            parentRequestId: input.parentRequestId ?? null,
            target: input.target ?? null,
            requester: input.requester ?? null,
            installation: input.installation ?? null,
            createdAt: fresh.created_at,
            startedAt: null,
            finishedAt: null,
          },
          created: true,
        };
      }
      // The same event arrived before (a retry, or a concurrent delivery): return the first row.
      const row = await prisma.generationRequest.findUniqueOrThrow({
        where: { idempotencyKey: input.idempotencyKey },
      });
      return { request: toDomain(row), created: false };
    },

    async getRequest(id) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const row = await prisma.generationRequest.findUnique({ where: { id }, include: WHO });
      return row ? toDomain(row) : null;
    },

    async listRequests({ limit, status, installation }) {
      const rows = await prisma.generationRequest.findMany({
        where: {
          ...(status ? { status } : {}),
          ...(installation
            ? { installation: { platform: installation.platform, externalId: installation.externalId } }
            : {}),
        },
        include: WHO,
        orderBy: { createdAt: 'desc' },
        take: Math.min(Math.max(limit, 1), 200),
      });
      return rows.map(toDomain);
    },

    markRunning: (id) =>
      retried('markRunning', async () => {
        try {
          const row = await prisma.generationRequest.update({
            // One statement: a cancel that lands first wins, and this one then changes nothing.
            where: { id, status: { not: 'cancelled' } },
            data: {
              status: 'running',
              attempts: { increment: 1 },
              startedAt: new Date(),
              errorCode: null,
              errorMessage: null,
            },
          });
          return toDomain(row);
        } catch (error) {
          if (isRecordNotFound(error)) return null;
          throw error;
        }
      }),

    async updateProgress(id, stage, percent) {
      await prisma.generationRequest.update({ where: { id }, data: { stage, percent: Math.round(percent) } });
    },

    async markSucceeded(id, result) {
      await retried('markSucceeded', () =>
        prisma.generationRequest.update({
          where: { id },
          data: {
            status: 'succeeded',
            percent: 100,
            result,
            costUsd: result.costUsd,
            tokensIn: result.tokens.input,
            tokensOut: result.tokens.output,
            finishedAt: new Date(),
            errorCode: null,
            errorMessage: null,
          },
        }),
      );
    },

    async markFailed(id, code, message) {
      await retried('markFailed', () =>
        prisma.generationRequest.update({
          where: { id },
          data: {
            status: 'failed',
            errorCode: code,
            errorMessage: message.slice(0, MAX_ERROR_CHARS),
            finishedAt: new Date(),
          },
        }),
      );
    },

    async markCancelled(id, message) {
      await retried('markCancelled', () =>
        prisma.generationRequest.update({
          where: { id },
          data: {
            status: 'cancelled',
            errorCode: 'cancelled',
            errorMessage: message,
            finishedAt: new Date(),
          },
        }),
      );
    },

    async cancelIfQueued(id, message) {
      const { count } = await prisma.generationRequest.updateMany({
        where: { id, status: 'queued' },
        data: { status: 'cancelled', errorCode: 'cancelled', errorMessage: message, finishedAt: new Date() },
      });
      return count === 1;
    },

    async markQueued(id) {
      await requireRequest(id);
      await prisma.generationRequest.update({
        where: { id },
        data: {
          status: 'queued',
          stage: null,
          percent: 0,
          errorCode: null,
          errorMessage: null,
          finishedAt: null,
        },
      });
    },

    async updateThread(id, thread) {
      await prisma.generationRequest.update({
        where: { id },
        data: { threadRef: ThreadRefSchema.parse(thread) },
      });
    },

    async findRequestByThread(match) {
      // JSON containment (`@>`) on the stored thread reference; parameters only, never interpolated.
      const rows = await prisma.$queryRaw<Array<{ id: string }>>`
        SELECT id::text AS id FROM generation_requests
        WHERE thread_ref @> ${JSON.stringify(match)}::jsonb
        ORDER BY created_at DESC LIMIT 1`;
      const id = rows[0]?.id;
      if (!id) return null;
      const row = await prisma.generationRequest.findUnique({ where: { id }, include: WHO });
      return row ? toDomain(row) : null;
    },

    async startAgentRun(run: AgentRunRecord) {
      const row = await prisma.agentSession.create({
        data: { requestId: run.requestId, agentType: run.agentType, attempt: run.attempt, model: run.model },
      });
      return row.id;
    },

    async finishAgentRun(sessionId: string, finish: AgentRunFinish) {
      const session = await prisma.agentSession.findUniqueOrThrow({ where: { id: sessionId } });
      const finishedAt = new Date();
      await prisma.agentSession.update({
        where: { id: sessionId },
        data: {
          status: finish.status,
          tokensIn: finish.tokensIn,
          tokensOut: finish.tokensOut,
          costUsd: finish.costUsd,
          finishedAt,
          durationMs: finishedAt.getTime() - session.startedAt.getTime(),
          error: finish.error?.slice(0, MAX_ERROR_CHARS) ?? null,
          results: finish.results === undefined ? Prisma.DbNull : (finish.results as Prisma.InputJsonValue),
        },
      });
    },

    async listAgentRuns(requestId: string, limit = 500): Promise<AgentRunSummary[]> {
      if (!/^[0-9a-f-]{36}$/i.test(requestId)) return [];
      const rows = await prisma.agentSession.findMany({
        where: { requestId },
        orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
        take: Math.min(Math.max(limit, 1), 2000),
      });
      return rows.map((row) => ({
        agentType: row.agentType,
        attempt: row.attempt,
        model: row.model,
        status: row.status,
        tokensIn: row.tokensIn,
        tokensOut: row.tokensOut,
        costUsd: Number(row.costUsd),
        startedAt: row.startedAt,
        durationMs: row.durationMs,
      }));
    },

    async appendAgentLog(sessionId, level, message, data) {
      await prisma.agentLog.create({
        data: {
          sessionId,
          level,
          message: message.slice(0, MAX_ERROR_CHARS),
          data: data === undefined ? Prisma.DbNull : (data as Prisma.InputJsonValue),
        },
      });
    },

    async recordComponents(requestId: string, components: ComponentRecord[]) {
      await retried('recordComponents', () =>
        prisma.$transaction([
          prisma.generatedComponent.deleteMany({ where: { requestId } }),
          prisma.generatedComponent.createMany({ data: components.map((c) => ({ ...c, requestId })) }),
        ]),
      );
    },

    async recordPullRequest(record: PullRequestRecord) {
      const data = {
        requestId: record.requestId,
        repoUrl: record.repoUrl,
        number: record.number,
        url: record.url,
        title: record.title,
        body: record.body,
        baseBranch: record.baseBranch,
        headSha: record.headSha,
      };
      await retried('recordPullRequest', () =>
        prisma.pullRequest.upsert({
          where: { forge_repo_branch: { forge: record.forge, repo: record.repo, branch: record.branch } },
          create: { ...data, forge: record.forge, repo: record.repo, branch: record.branch },
          update: data,
        }),
      );
    },

    async findPullRequest(forge, repo, branch) {
      const row = await retried('findPullRequest', () =>
        prisma.pullRequest.findUnique({
          where: { forge_repo_branch: { forge, repo, branch } },
        }),
      );
      if (!row) return null;
      return {
        requestId: row.requestId ?? '',
        forge: row.forge,
        repo: row.repo,
        repoUrl: row.repoUrl,
        number: row.number,
        url: row.url,
        title: row.title,
        body: row.body,
        branch: row.branch,
        baseBranch: row.baseBranch,
        headSha: row.headSha,
      };
    },
  };
}
