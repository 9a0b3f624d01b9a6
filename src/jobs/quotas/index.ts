export { createPrismaQuotaStore, type PrismaQuotaStoreOptions } from './prisma-quota-store.js';
export { quotaMessage, QUOTA_ENV, type QuotaReason, type QuotaRefusalReason } from './quota-messages.js';
export { quotaSubject, type QuotaSubject } from './quota-subject.js';
