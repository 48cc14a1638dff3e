export { AutoScalingChanges, AutoScalingCollector, putScalingPolicyInput } from './autoscaling.js';
export {
  ChangeAwsError,
  createChangeService,
  recordedTraffic,
  type ChangeService,
  type ChangeServiceOptions,
} from './changes.js';
export { Backoff, BACKOFF_BASE_MS, BACKOFF_CAP_MS, type BackoffOptions } from './backoff.js';
export {
  COST_EXPLORER_REGION,
  createAwsClients,
  MAX_ATTEMPTS,
  REQUEST_TIMEOUT_MS,
  type AwsClientOptions,
  type AwsClients,
} from './clients.js';
export {
  CostExplorerCollector,
  mergeCostPages,
  PREDICTION_INTERVAL_LEVEL,
  type CostExplorerCollectorOptions,
} from './cost-explorer.js';
export {
  CloudWatchCollector,
  MAX_QUERIES_PER_CALL,
  type CloudWatchCollectorOptions,
} from './cloudwatch.js';
export {
  adviceFor,
  classifyAwsError,
  deadlineError,
  errorHints,
  type ErrorHints,
  type SourceError,
} from './errors.js';
export {
  collectAlarms,
  collectHealth,
  type CollectAlarmsOptions,
  type CollectHealthOptions,
} from './health.js';
export { DEFAULT_TIMEOUT_MS, type CollectOptions } from './run.js';
export { COST_EXPLORER_REQUEST_USD, listPriceUsd, Meter, type MeteredService } from './metering.js';
export {
  ANOMALY_LOOKBACK_DAYS,
  BUSINESS_METRICS_SOURCE,
  collectAnomalies,
  collectCostTable,
  collectForecast,
  collectMeter,
  collectMovers,
  collectSpendPage,
  collectSpotSavings,
  collectUnitCosts,
  SPEND_TIMEOUT_MS,
  SpendUnavailableError,
  type CostTableOptions,
  type MoversOptions,
  type RangeOptions,
  type SpendOptions,
  type SpendPageOptions,
} from './spend.js';
export { StsIdentity } from './sts.js';
export {
  createCollectorSession,
  type CollectorSession,
  type CollectorSessionOptions,
} from './session.js';
export * from './loadtest/index.js';
