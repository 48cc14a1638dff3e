export {
  createChangeLog,
  type ChangeLease,
  type ChangeLog,
  type LeaseResult,
} from './audit-log.js';
export { migrations, type Migration } from './migrations.js';
export { CLOUDWATCH_RETENTION, PRUNE_EVERY_MS, retentionMs } from './retention.js';
export {
  openStore,
  StoreError,
  type CacheEntry,
  type CallLedger,
  type CallLedgerDayRow,
  type CallLedgerRow,
  type CallRecord,
  type Store,
} from './store.js';
export {
  createLoadTestLog,
  type BeginResult,
  type LoadTestLog,
  type LoadTestOutcome,
  type NewLoadTestRun,
} from './load-tests.js';
