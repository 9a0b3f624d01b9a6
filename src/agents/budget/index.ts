export {
  createBudgetGuard,
  type BudgetGuard,
  type BudgetGuardOptions,
  type BudgetLimits,
  type JobReservation,
  type JobReservationRequest,
  type Spend,
  type SpendSource,
} from './budget-guard.js';
export { createPrismaSpendSource } from './prisma-spend.js';
