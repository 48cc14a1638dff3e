export { AutoScalingCollector } from './autoscaling.js';
export { Backoff, BACKOFF_BASE_MS, BACKOFF_CAP_MS, type BackoffOptions } from './backoff.js';
export {
  createAwsClients,
  MAX_ATTEMPTS,
  REQUEST_TIMEOUT_MS,
  type AwsClientOptions,
  type AwsClients,
} from './clients.js';
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
export { listPriceUsd, Meter, type MeteredService } from './metering.js';
export {
  createCollectorSession,
  type CollectorSession,
  type CollectorSessionOptions,
} from './session.js';
