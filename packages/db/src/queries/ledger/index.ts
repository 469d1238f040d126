/**
 * The credit ledger. Credits belong to a person or a team (owner.ts). Every writer runs one short
 * transaction that first takes the owner's row lock (`SELECT … FROM users|teams FOR UPDATE`) and
 * applies that owner's due renewals, so all writers for an owner are serialised and see the same
 * period; a member's charge locks the person, then their team (always in that order). The rules (prices, order, rollover, expiry) come from
 * @bgr/credits; this folder only persists their decisions. Entries are append-only; `lots.remaining`
 * caches Σ entries − active hold allocations, which reconcile() checks.
 *
 * One concept per file: the refusals (errors), reading rows for the rules (rows), entries and lots
 * (writes), renewals, the user lock, holds and settling them, grants, subscriptions, the periodic
 * job (process-due), and reading: balance, history, reconcile. This index is the public API.
 */
export { type Balance, type BalanceInput, type BalancesInput, balance, balances, type TeamShare } from './balance';
export { LedgerError, type LedgerErrorCode } from './errors';
export { type DebitInput, type DebitResult, debit, type GrantInput, grant } from './grants';
export { type HistoryEntry, type HistoryInput, history } from './history';
export {
  type FindHoldInput,
  findHold,
  getHold,
  type Hold,
  type ReserveInput,
  type ReserveLockedInput,
  type ReserveResult,
  reserve,
  reserveLocked,
} from './holds';
export { type ProcessDueInput, type ProcessDueResult, processDue } from './process-due';
export { type Drift, type ReconcileResult, reconcile } from './reconcile';
export { type CaptureInput, capture, type ReleaseInput, release } from './settle';
export {
  type CancelSubscriptionInput,
  cancelSubscription,
  changePlan,
  type PlanInput,
  startSubscription,
} from './subscriptions';
export type { OwnerRef } from './owner';
export { capUsedUnits, type Membership, membershipOf } from './team-share';
export { withUserLock } from './user-lock';
