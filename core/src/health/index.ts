export {
  alarmStanding,
  alarmThresholdUnit,
  assignAlarmTiers,
  assignGroupTiers,
  groupNames,
  isFiringAlarm,
  isScalingTriggerAlarm,
  scalingDirection,
  tierOfAlarm,
  tierOfGroup,
  type AlarmStanding,
} from './alarms.js';
export {
  DYNAMODB_OPERATIONS,
  healthQueries,
  metricsForResource,
  metricUnit,
  periodFor,
  queryId,
  tierQueries,
  US_EAST_1_NAMESPACES,
  type MetricSpec,
  type PlannedQuery,
} from './catalog.js';
export { evaluateHealth, judge, latestComplete, type EvaluateHealthInput } from './evaluate.js';
export { dimensionsMatchResource, resourceDimensions, resourceLabel } from './resources.js';
export { signalAlarms } from './signal-alarms.js';
export {
  deriveSignals,
  GOLDEN_SIGNALS,
  SIGNAL_SOURCES,
  signalSourceFor,
  type DerivedSignal,
  type Recipe,
  type SignalSource,
} from './signals.js';
