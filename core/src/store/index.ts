export { migrations, type Migration } from './migrations.js';
export {
  openStore,
  StoreError,
  type CallLedger,
  type CallLedgerRow,
  type CallRecord,
  type Store,
} from './store.js';
