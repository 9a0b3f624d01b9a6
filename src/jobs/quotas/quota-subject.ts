import type { IdentityRef, Platform } from '../../core/domain/request.js';

/** Who a request counts against: its user and its workspace, as `platform:externalId` (null when unknown). */
export interface QuotaSubject {
  userKey: string | null;
  tenantKey: string | null;
}

const keyOf = (ref: Pick<IdentityRef, 'platform' | 'externalId'> | null | undefined) =>
  ref ? `${ref.platform}:${ref.externalId}` : null;

export function quotaSubject(request: {
  requester?: Pick<IdentityRef, 'platform' | 'externalId'> | null;
  installation?: Pick<IdentityRef, 'platform' | 'externalId'> | null;
}): QuotaSubject {
  return { userKey: keyOf(request.requester), tenantKey: keyOf(request.installation) };
}

const TENANT_NAMES: Record<Platform, string> = {
  slack: 'This Slack workspace',
  discord: 'This Discord server',
  github: 'This GitHub App installation',
  mcp: 'This MCP tenant',
  cli: 'This workspace',
};

/** "This Slack workspace", from a tenant key's platform. */
export function tenantName(tenantKey: string): string {
  const platform = tenantKey.slice(0, tenantKey.indexOf(':')) as Platform;
  return TENANT_NAMES[platform] ?? 'This workspace';
}
