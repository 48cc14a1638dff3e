export { AutoScalingCollector } from './autoscaling.js';
export { createAwsClients, MAX_ATTEMPTS, type AwsClients } from './clients.js';
export {
  CloudWatchCollector,
  MAX_QUERIES_PER_CALL,
  type CloudWatchCollectorOptions,
} from './cloudwatch.js';
export { classifyAwsError, type ErrorHints, type SourceError } from './errors.js';
export {
  collectAlarms,
  collectHealth,
  type CollectAlarmsOptions,
  type CollectHealthOptions,
} from './health.js';
export { listPriceUsd, Meter, type MeteredService } from './metering.js';
