import type { ValidGenerationRequestInput } from '../domain/request.js';

/** Limits per user and per workspace (Slack workspace, Discord server, GitHub App installation…); 0 = unlimited. */
export interface QuotaLimits {
  userBuildsPerHour: number;
  userConcurrent: number;
  workspaceBuildsPerHour: number;
  workspaceConcurrent: number;
}

/** A slot held for one submit or retry, until the request it is for is stored (then the request's status decides). */
export interface QuotaTicket {
  key: string;
}

/**
 * Quotas checked and reserved atomically across every server and worker sharing the database. A
 * refusal is stored (with its reason) and thrown as a QuotaExceededError whose message names the
 * limit and when a slot frees up. Requests that name neither a user nor a workspace (the CLI, MCP
 * without a tenant) have no quota.
 */
export interface QuotaStore {
  /**
   * Reserves a slot for a request about to be stored and queued. Null when nothing needs reserving:
   * a request or reservation with this idempotency key exists already, or there is nobody to count.
   */
  reserve(input: ValidGenerationRequestInput): Promise<QuotaTicket | null>;
  /** Reserves a slot for a failed or cancelled request that is to run again (not a new build). */
  reserveRetry(requestId: string): Promise<QuotaTicket | null>;
  /** Ties the slot to its stored request: from now on it is held while the request is queued or running. */
  confirm(ticket: QuotaTicket, requestId: string): Promise<void>;
  /** Gives the slot back: the request could not be stored or queued. */
  release(ticket: QuotaTicket): Promise<void>;
}
