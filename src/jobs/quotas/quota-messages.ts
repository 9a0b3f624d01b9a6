import { tenantName } from './quota-subject.js';

export type QuotaScope = 'user' | 'tenant';
export type QuotaReason = `${QuotaScope}_${'concurrent' | 'hourly'}`;

/** The variable that sets each limit, named in every refusal so the operator knows what to change. */
export const QUOTA_ENV: Record<QuotaReason, string> = {
  user_concurrent: 'AUTONOMA_QUOTA_USER_CONCURRENT',
  user_hourly: 'AUTONOMA_QUOTA_USER_BUILDS_PER_HOUR',
  tenant_concurrent: 'AUTONOMA_QUOTA_WORKSPACE_CONCURRENT',
  tenant_hourly: 'AUTONOMA_QUOTA_WORKSPACE_BUILDS_PER_HOUR',
};

export interface QuotaRefusalReason {
  reason: QuotaReason;
  count: number;
  limit: number;
  /** For hourly limits: when the oldest counted build leaves the hour. */
  nextSlotAt?: Date;
  tenantKey: string | null;
}

/** 14:05, rounded up to the minute so the slot is open by then. */
function utcClock(at: Date): string {
  return new Date(Math.ceil(at.getTime() / 60_000) * 60_000).toISOString().slice(11, 16);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the person who asked reads: the limit, how far they are, and when they can go again. */
export function quotaMessage(refusal: QuotaRefusalReason): string {
  const { reason, count, limit } = refusal;
  const who = reason.startsWith('user')
    ? { has: 'You already have', started: 'You started' }
    : {
        has: `${tenantName(refusal.tenantKey ?? '')} already has`,
        started: `${tenantName(refusal.tenantKey ?? '')} started`,
      };
  const setBy = ` Whoever runs Autonoma sets this limit with ${QUOTA_ENV[reason]}.`;
  if (reason.endsWith('concurrent')) {
    return (
      `${who.has} ${plural(count, 'job', 'jobs')} queued or running (limit ${limit}). ` +
      `Try again when one finishes.${setBy}`
    );
  }
  const opens = refusal.nextSlotAt ? `; the next slot opens at ${utcClock(refusal.nextSlotAt)} UTC` : '';
  return `${who.started} ${plural(count, 'build', 'builds')} in the last hour (limit ${limit})${opens}.${setBy}`;
}
