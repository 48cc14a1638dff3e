// CloudWatch over AWS JSON 1.0 (X-Amz-Target: GraniteServiceVersion20100801.<Operation>):
// GetMetricData, ListMetrics, DescribeAlarms and DescribeAlarmHistory, answering from the
// simulation's metric store and alarms with CloudWatch's validation, paging and retention;
// PutMetricAlarm and DeleteAlarms, so alarms can invoke step and simple scaling policies.
import { z } from 'zod';
import {
  bucketsWithData,
  bucketValue,
  isValidPeriod,
  planBuckets,
} from '../metrics/metric-query.js';
import { Aggregate, type MetricSeries } from '../metrics/metric-store.js';
import { parseStatistic, type Statistic } from '../metrics/statistics.js';
import {
  HISTORY_RETENTION_MS,
  historySummary,
  statisticFields,
  type AlarmHistoryEntry,
  type ComparisonOperator,
  type MetricAlarm,
  type MetricAlarmDefinition,
  type MetricStatSpec,
  type TreatMissingData,
} from '../simulation/alarms.js';
import type { Simulation } from '../simulation/simulation.js';
import {
  AwsError,
  decodeToken,
  encodeToken,
  fingerprint,
  invalidParameter,
  validationError,
  zodToValidationError,
} from './protocol.js';
import { checkedMathQueries } from './metric-math-queries.js';

export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801';
export const CLOUDWATCH_JSON_NAMESPACE = 'com.amazonaws.cloudwatch';

export interface CloudWatchContext {
  simulation: Simulation;
  /** simulated "now", epoch ms */
  now: number;
}

type Handler = (input: unknown, ctx: CloudWatchContext) => unknown;

/** The operations by X-Amz-Target name: a Map, so no name reaches Object.prototype. */
export const cloudWatchOperations: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['GetMetricData', (input, ctx) => getMetricData(parse(GetMetricDataInput, input), ctx)],
  ['ListMetrics', (input, ctx) => listMetrics(parse(ListMetricsInput, input), ctx)],
  ['DescribeAlarms', (input, ctx) => describeAlarms(parse(DescribeAlarmsInput, input), ctx)],
  [
    'DescribeAlarmHistory',
    (input, ctx) => describeAlarmHistory(parse(DescribeAlarmHistoryInput, input), ctx),
  ],
  ['PutMetricAlarm', (input, ctx) => putMetricAlarm(parse(PutMetricAlarmInput, input), ctx)],
  ['DeleteAlarms', (input, ctx) => deleteAlarms(parse(DeleteAlarmsInput, input), ctx)],
]);

const MAX_QUERIES = 500;
/** At most this many datapoints in one answer (and the default MaxDatapoints), as in CloudWatch. */
const MAX_DATAPOINTS = 100_800;
const LIST_METRICS_PAGE = 500;

/** The model's `integer` is 32 bits: larger values are refused, as CloudWatch refuses them. */
const int32 = () => z.number().int().min(-2_147_483_648).max(2_147_483_647);
/**
 * Timestamps travel as epoch seconds; CloudWatch keeps 15 months, so anything a Date can hold
 * is a valid (if empty) range, and nothing else is.
 */
const MAX_TIMESTAMP_S = 8_640_000_000_000;
const timestamp = () => z.number().min(-MAX_TIMESTAMP_S).max(MAX_TIMESTAMP_S);

const Dimension = z.object({
  Name: z.string().min(1).max(255),
  Value: z.string().min(1).max(1024),
});
// Constraints from the service model (botocore cloudwatch/2010-08-01): Period is an integer
// >= 1, MetricId 1-255 characters, MetricExpression 1-2048, Namespace and MetricName 1-255,
// at most 30 dimensions.
const MetricStat = z.object({
  Metric: z.object({
    Namespace: z.string().min(1).max(255),
    MetricName: z.string().min(1).max(255),
    Dimensions: z.array(Dimension).max(30).optional(),
  }),
  Period: int32().min(1),
  Stat: z.string().min(1).max(255),
  Unit: z.string().optional(),
});
const MetricDataQuery = z.object({
  Id: z.string().min(1).max(255),
  MetricStat: MetricStat.optional(),
  Expression: z.string().min(1).max(2048).optional(),
  Label: z.string().max(2048).optional(),
  ReturnData: z.boolean().optional(),
  Period: int32().min(1).optional(),
  AccountId: z.string().optional(),
});
const ScanBy = z.enum(['TimestampDescending', 'TimestampAscending']);
const GetMetricDataInput = z.object({
  MetricDataQueries: z.array(MetricDataQuery),
  StartTime: timestamp(),
  EndTime: timestamp(),
  NextToken: z.string().optional(),
  ScanBy: ScanBy.optional(),
  MaxDatapoints: int32().min(1).optional(),
  LabelOptions: z.object({ Timezone: z.string().optional() }).optional(),
});
const ListMetricsInput = z.object({
  Namespace: z.string().min(1).optional(),
  MetricName: z.string().min(1).optional(),
  Dimensions: z
    .array(z.object({ Name: z.string().min(1), Value: z.string().optional() }))
    .max(10)
    .optional(),
  NextToken: z.string().optional(),
  RecentlyActive: z.literal('PT3H').optional(),
  IncludeLinkedAccounts: z.boolean().optional(),
  OwningAccount: z.string().optional(),
});
const StateValue = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const DescribeAlarmsInput = z.object({
  AlarmNames: z.array(z.string().min(1)).max(100).optional(),
  AlarmNamePrefix: z.string().min(1).optional(),
  AlarmTypes: z.array(z.enum(['CompositeAlarm', 'MetricAlarm'])).optional(),
  ChildrenOfAlarmName: z.string().optional(),
  ParentsOfAlarmName: z.string().optional(),
  StateValue: StateValue.optional(),
  ActionPrefix: z.string().min(1).optional(),
  MaxRecords: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().optional(),
});
const DescribeAlarmHistoryInput = z.object({
  AlarmName: z.string().min(1).optional(),
  AlarmTypes: z.array(z.enum(['CompositeAlarm', 'MetricAlarm'])).optional(),
  HistoryItemType: z
    .enum([
      'ConfigurationUpdate',
      'StateUpdate',
      'Action',
      'AlarmContributorStateUpdate',
      'AlarmContributorAction',
    ])
    .optional(),
  StartDate: timestamp().optional(),
  EndDate: timestamp().optional(),
  MaxRecords: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().optional(),
  ScanBy: ScanBy.optional(),
});

const Actions = z.array(z.string().min(1).max(1024)).max(5);
const PutMetricAlarmInput = z.object({
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().max(1024).optional(),
  ActionsEnabled: z.boolean().optional(),
  OKActions: Actions.optional(),
  AlarmActions: Actions.optional(),
  InsufficientDataActions: Actions.optional(),
  MetricName: z.string().min(1).max(255).optional(),
  Namespace: z.string().min(1).max(255).optional(),
  Statistic: z.enum(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']).optional(),
  ExtendedStatistic: z.string().optional(),
  Dimensions: z.array(Dimension).max(30).optional(),
  Period: int32().min(1).optional(),
  Unit: z.string().optional(),
  EvaluationPeriods: int32().min(1).optional(),
  DatapointsToAlarm: int32().min(1).optional(),
  Threshold: z.number().optional(),
  ComparisonOperator: z
    .enum([
      'GreaterThanOrEqualToThreshold',
      'GreaterThanThreshold',
      'LessThanThreshold',
      'LessThanOrEqualToThreshold',
      'LessThanLowerOrGreaterThanUpperThreshold',
      'LessThanLowerThreshold',
      'GreaterThanUpperThreshold',
    ])
    .optional(),
  TreatMissingData: z.string().min(1).max(255).optional(),
  EvaluateLowSampleCountPercentile: z.string().min(1).max(255).optional(),
  Metrics: z.array(MetricDataQuery).optional(),
  Tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
  ThresholdMetricId: z.string().min(1).max(255).optional(),
  EvaluationWindow: z.unknown().optional(),
  EvaluationCriteria: z.unknown().optional(),
  EvaluationInterval: z.unknown().optional(),
});
const DeleteAlarmsInput = z.object({ AlarmNames: z.array(z.string().min(1).max(255)).max(100) });

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw zodToValidationError(result.error, input);
  return result.data;
}

// ---------------------------------------------------------------- GetMetricData

interface PlannedQuery {
  id: string;
  label: string;
  returnData: boolean;
  series: MetricSeries | undefined;
  stat: Statistic;
  period: number;
}

const MetricDataCursor = z.object({
  query: z.number().int().min(0),
  offset: z.number().int().min(0),
  asOf: z.number(),
});

function getMetricData(input: z.infer<typeof GetMetricDataInput>, ctx: CloudWatchContext) {
  const queries = input.MetricDataQueries;
  if (queries.length === 0)
    throw validationError('The collection MetricDataQueries must not be empty.');
  if (queries.length > MAX_QUERIES) {
    throw validationError(
      `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
    );
  }
  if (new Set(queries.map((q) => q.Id)).size !== queries.length) {
    throw validationError('The values for parameter id in MetricDataQueries are not unique.');
  }
  const startMs = input.StartTime * 1000;
  const endMs = input.EndTime * 1000;
  if (!(startMs < endMs))
    throw validationError('The parameter StartTime must be less than the parameter EndTime.');

  const planned = queries.map((q, i) => planQuery(q, i + 1, ctx));
  const scanBy = input.ScanBy ?? 'TimestampDescending';
  const print = fingerprint([queries, input.StartTime, input.EndTime, scanBy]);
  const cursor = decodeToken(input.NextToken, print, MetricDataCursor);
  // Later pages answer as of the first page's time, so data arriving between pages does
  // not shift what the offsets point at.
  const asOf = cursor?.asOf ?? ctx.now;
  let budget = Math.min(input.MaxDatapoints ?? MAX_DATAPOINTS, MAX_DATAPOINTS);

  const store = ctx.simulation.store;
  const scratch = new Aggregate();
  const results = [];
  let nextToken: string | undefined;
  for (let qi = cursor?.query ?? 0; qi < planned.length; qi++) {
    const q = planned[qi]!;
    if (!q.returnData) continue;
    const plan = planBuckets(startMs, endMs, q.period, asOf);
    // Only buckets that can hold data: those the store and the retention at that period
    // still have, up to asOf. So the work is bounded by what is stored, whatever the range
    // and period asked for.
    const { lo, hi } = q.series
      ? bucketsWithData(plan, ctx.simulation.startMs, asOf, asOf)
      : { lo: 0, hi: 0 };
    const span = hi - lo;
    const timestamps: number[] = [];
    const values: number[] = [];
    let k = qi === cursor?.query ? cursor.offset : 0;
    for (; k < span && budget > 0; k++) {
      const index = scanBy === 'TimestampAscending' ? lo + k : hi - 1 - k;
      const t = plan.firstMs + index * plan.periodMs;
      const value = bucketValue(store, q.series!, q.stat, t, plan.periodMs, asOf, scratch);
      if (value === undefined) continue;
      timestamps.push(t / 1000);
      values.push(value);
      budget--;
    }
    const complete = k >= span;
    results.push({
      Id: q.id,
      Label: q.label,
      Timestamps: timestamps,
      Values: values,
      StatusCode: complete ? 'Complete' : 'PartialData',
    });
    if (!complete) {
      nextToken = encodeToken({ query: qi, offset: k, asOf }, print);
      break;
    }
    if (budget === 0 && qi + 1 < planned.length) {
      nextToken = encodeToken({ query: qi + 1, offset: 0, asOf }, print);
      break;
    }
  }
  return {
    MetricDataResults: results,
    Messages: [],
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

function planQuery(
  q: z.infer<typeof MetricDataQuery>,
  n: number,
  ctx: CloudWatchContext,
): PlannedQuery {
  const where = `MetricDataQueries.member.${n}`;
  if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id)) {
    throw validationError(
      `The value ${q.Id} for parameter ${where}.Id is not valid: an Id starts with a lower-case letter and has only letters, digits and underscores.`,
    );
  }
  if (q.Expression !== undefined) {
    throw invalidParameter(
      `${where}.Expression is not supported: the Ballast sandbox does not evaluate metric math or Metrics Insights. Query each metric with MetricStat and combine the values yourself.`,
    );
  }
  if (!q.MetricStat)
    throw validationError(`Exactly one of MetricStat or Expression must be specified in ${where}.`);
  const { Metric, Period, Stat, Unit } = q.MetricStat;
  if (!isValidPeriod(Period)) {
    throw invalidParameter(
      `The parameter ${where}.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.`,
    );
  }
  const stat = parseStatistic(Stat);
  if (!stat) {
    throw invalidParameter(
      `The value ${Stat} for parameter ${where}.MetricStat.Stat is not a statistic the sandbox computes: use Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p99.`,
    );
  }
  const dimensions = (Metric.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value }));
  const found = ctx.simulation.store.get(Metric.Namespace, Metric.MetricName, dimensions);
  // Asking for another unit than the metric's own returns no data, as in CloudWatch.
  const series =
    found && (Unit === undefined || Unit === found.definition.unit) ? found : undefined;
  return {
    id: q.Id,
    label: q.Label ?? Metric.MetricName,
    returnData: q.ReturnData ?? true,
    series,
    stat,
    period: Period,
  };
}

// ---------------------------------------------------------------- ListMetrics

const OffsetCursor = z.number().int().min(0);

function listMetrics(input: z.infer<typeof ListMetricsInput>, ctx: CloudWatchContext) {
  const matches: MetricSeries[] = [];
  for (const series of ctx.simulation.store.all()) {
    const d = series.definition;
    if (input.Namespace !== undefined && d.namespace !== input.Namespace) continue;
    if (input.MetricName !== undefined && d.metricName !== input.MetricName) continue;
    const filters = input.Dimensions ?? [];
    if (
      !filters.every((f) =>
        d.dimensions.some(
          (dim) => dim.name === f.Name && (f.Value === undefined || dim.value === f.Value),
        ),
      )
    )
      continue;
    matches.push(series);
  }
  matches.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const print = fingerprint([input.Namespace, input.MetricName, input.Dimensions]);
  const offset = decodeToken(input.NextToken, print, OffsetCursor) ?? 0;
  const page = matches.slice(offset, offset + LIST_METRICS_PAGE);
  const next = offset + LIST_METRICS_PAGE;
  return {
    Metrics: page.map((s) => ({
      Namespace: s.definition.namespace,
      MetricName: s.definition.metricName,
      Dimensions: s.definition.dimensions.map((dim) => ({ Name: dim.name, Value: dim.value })),
    })),
    ...(next < matches.length ? { NextToken: encodeToken(next, print) } : {}),
  };
}

// ---------------------------------------------------------------- DescribeAlarms

function describeAlarms(input: z.infer<typeof DescribeAlarmsInput>, ctx: CloudWatchContext) {
  if (input.AlarmNames && input.AlarmNamePrefix) {
    throw new AwsError(
      'InvalidParameterCombination',
      'AlarmNames and AlarmNamePrefix cannot be specified together.',
      400,
      'InvalidParameterCombinationException',
    );
  }
  const types = input.AlarmTypes ?? ['MetricAlarm'];
  const names = input.AlarmNames ? new Set(input.AlarmNames) : undefined;
  const matches = types.includes('MetricAlarm')
    ? ctx.simulation.alarms.filter(
        (a) =>
          (!names || names.has(a.name)) &&
          (!input.AlarmNamePrefix || a.name.startsWith(input.AlarmNamePrefix)) &&
          (!input.StateValue || a.state === input.StateValue) &&
          (!input.ActionPrefix ||
            [...a.definition.alarmActions, ...a.definition.okActions].some((x) =>
              x.startsWith(input.ActionPrefix!),
            )),
      )
    : [];
  const pageSize = input.MaxRecords ?? 50;
  const print = fingerprint([
    input.AlarmNames,
    input.AlarmNamePrefix,
    types,
    input.StateValue,
    input.ActionPrefix,
  ]);
  const offset = decodeToken(input.NextToken, print, OffsetCursor) ?? 0;
  const page = matches.slice(offset, offset + pageSize);
  return {
    MetricAlarms: page.map(describeAlarm),
    ...(types.includes('CompositeAlarm') ? { CompositeAlarms: [] } : {}),
    ...(offset + pageSize < matches.length
      ? { NextToken: encodeToken(offset + pageSize, print) }
      : {}),
  };
}

const seconds = (ms: number) => ms / 1000;

function describeAlarm(alarm: MetricAlarm) {
  const def = alarm.definition;
  const stat = statisticFields(def.metric);
  return {
    AlarmName: def.name,
    AlarmArn: alarm.arn,
    AlarmDescription: def.description,
    AlarmConfigurationUpdatedTimestamp: seconds(def.createdAt),
    ActionsEnabled: def.actionsEnabled ?? true,
    OKActions: def.okActions,
    AlarmActions: def.alarmActions,
    InsufficientDataActions: [],
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    ...(alarm.stateReasonData !== undefined ? { StateReasonData: alarm.stateReasonData } : {}),
    StateUpdatedTimestamp: seconds(alarm.stateUpdatedAt),
    StateTransitionedTimestamp: seconds(alarm.stateUpdatedAt),
    ...(def.metric
      ? {
          MetricName: def.metric.metricName,
          Namespace: def.metric.namespace,
          ...(stat.statistic ? { Statistic: stat.statistic } : {}),
          ...(stat.extendedStatistic
            ? {
                ExtendedStatistic: stat.extendedStatistic,
                EvaluateLowSampleCountPercentile: 'evaluate',
              }
            : {}),
          Dimensions: def.metric.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
          Period: def.periodSeconds,
          ...(def.metric.unit ? { Unit: def.metric.unit } : {}),
        }
      : {
          Metrics: (def.metrics ?? []).map((q) => ({
            Id: q.id,
            ...(q.metricStat ? { MetricStat: metricStat(q.metricStat) } : {}),
            ...(q.expression ? { Expression: q.expression } : {}),
            ...(q.label ? { Label: q.label } : {}),
            ReturnData: q.returnData,
          })),
        }),
    EvaluationPeriods: def.evaluationPeriods,
    DatapointsToAlarm: def.datapointsToAlarm,
    Threshold: def.threshold,
    ComparisonOperator: def.comparison,
    TreatMissingData: def.treatMissingData,
  };
}

function metricStat(spec: MetricStatSpec) {
  return {
    Metric: {
      Namespace: spec.namespace,
      MetricName: spec.metricName,
      Dimensions: spec.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
    },
    Period: spec.periodSeconds,
    Stat: spec.stat,
    ...(spec.unit ? { Unit: spec.unit } : {}),
  };
}

// ---------------------------------------------------------------- DescribeAlarmHistory

const HistoryCursor = z.object({ offset: z.number().int().min(0), asOf: z.number() });

function describeAlarmHistory(
  input: z.infer<typeof DescribeAlarmHistoryInput>,
  ctx: CloudWatchContext,
) {
  const wantsStateUpdates = !input.HistoryItemType || input.HistoryItemType === 'StateUpdate';
  const wantsMetricAlarms = !input.AlarmTypes || input.AlarmTypes.includes('MetricAlarm');
  const print = fingerprint([
    input.AlarmName,
    input.AlarmTypes,
    input.HistoryItemType,
    input.StartDate,
    input.EndDate,
    input.ScanBy,
  ]);
  const cursor = decodeToken(input.NextToken, print, HistoryCursor);
  // Later pages see the history as of the first page, so new entries do not shift offsets.
  const asOf = cursor?.asOf ?? ctx.now;
  const from = Math.max(
    asOf - HISTORY_RETENTION_MS,
    input.StartDate !== undefined ? input.StartDate * 1000 : -Infinity,
  );
  const to = Math.min(asOf, input.EndDate !== undefined ? input.EndDate * 1000 : Infinity);
  const items: AlarmHistoryEntry[] = [];
  if (wantsStateUpdates && wantsMetricAlarms) {
    // A deleted alarm's history stays readable for CloudWatch's 30 days.
    for (const alarm of ctx.simulation.alarmsWithHistory) {
      if (input.AlarmName && alarm.name !== input.AlarmName) continue;
      for (const entry of alarm.history)
        if (entry.timestamp >= from && entry.timestamp <= to) items.push(entry);
    }
  }
  const ascending = input.ScanBy === 'TimestampAscending';
  items.sort(
    (a, b) =>
      (ascending ? a.timestamp - b.timestamp : b.timestamp - a.timestamp) ||
      (a.alarmName < b.alarmName ? -1 : 1),
  );
  const pageSize = input.MaxRecords ?? 100;
  const offset = cursor?.offset ?? 0;
  return {
    AlarmHistoryItems: items.slice(offset, offset + pageSize).map((e) => ({
      AlarmName: e.alarmName,
      AlarmType: 'MetricAlarm',
      Timestamp: seconds(e.timestamp),
      HistoryItemType: 'StateUpdate',
      HistorySummary: historySummary(e),
      HistoryData: e.data(),
    })),
    ...(offset + pageSize < items.length
      ? { NextToken: encodeToken({ offset: offset + pageSize, asOf }, print) }
      : {}),
  };
}

// ---------------------------------------------------------------- PutMetricAlarm, DeleteAlarms

const missingParameter = (name: string) =>
  new AwsError(
    'MissingParameter',
    `The parameter ${name} is required.`,
    400,
    'MissingRequiredParameterException',
  );
const invalidCombination = (message: string) =>
  new AwsError('InvalidParameterCombination', message, 400, 'InvalidParameterCombinationException');
const TREAT_MISSING = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
/** CloudWatch evaluates at most seven days of periods. */
const MAX_EVALUATION_SECONDS = 7 * 86_400;

/** An alarm's period: a multiple of 60 (the sandbox keeps 1-minute data). */
function alarmPeriod(seconds: number | undefined): number {
  if (seconds === undefined) throw missingParameter('Period');
  if (seconds === 10 || seconds === 30)
    throw invalidParameter(
      `The Ballast sandbox simulates 1-minute metrics: high-resolution alarms (a Period of ${seconds}) are not emulated; use a multiple of 60.`,
    );
  if (seconds % 60 !== 0)
    throw invalidParameter(
      `The parameter Period must be 10, 30 or a multiple of 60, not ${seconds}.`,
    );
  return seconds;
}

function putMetricAlarm(input: z.infer<typeof PutMetricAlarmInput>, ctx: CloudWatchContext) {
  if (
    input.ThresholdMetricId !== undefined ||
    input.EvaluationWindow !== undefined ||
    input.EvaluationCriteria !== undefined ||
    input.EvaluationInterval !== undefined ||
    (input.ComparisonOperator !== undefined && !input.ComparisonOperator.endsWith('Threshold')) ||
    /Upper|Lower/.test(input.ComparisonOperator ?? '')
  )
    throw validationError(
      'The Ballast sandbox does not emulate anomaly detection, Metrics Insights or PromQL alarms: give a metric or metric math, a Threshold and one of GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold or LessThanOrEqualToThreshold.',
    );
  if (input.EvaluationPeriods === undefined) throw missingParameter('EvaluationPeriods');
  if (input.ComparisonOperator === undefined) throw missingParameter('ComparisonOperator');
  if (input.Threshold === undefined) throw missingParameter('Threshold');
  const single =
    input.MetricName !== undefined ||
    input.Namespace !== undefined ||
    input.Statistic !== undefined ||
    input.ExtendedStatistic !== undefined ||
    input.Dimensions !== undefined;
  let fields: Pick<MetricAlarmDefinition, 'metric' | 'metrics' | 'periodSeconds'>;
  if (input.Metrics !== undefined) {
    if (single || input.Period !== undefined)
      throw invalidCombination(
        'Metrics cannot be specified with MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions or Period.',
      );
    const metrics = checkedMathQueries(input.Metrics, validationError, alarmPeriod);
    const periods = new Set(metrics.map((q) => q.metricStat?.periodSeconds).filter((p) => p));
    if (periods.size > 1)
      throw validationError('The metrics of an alarm must all have the same Period.');
    fields = { metrics, periodSeconds: [...periods][0] ?? 60 };
  } else {
    if (input.MetricName === undefined) throw missingParameter('MetricName');
    if (input.Namespace === undefined) throw missingParameter('Namespace');
    if (input.Statistic !== undefined && input.ExtendedStatistic !== undefined)
      throw invalidCombination('Statistic and ExtendedStatistic cannot be specified together.');
    const stat = input.Statistic ?? input.ExtendedStatistic;
    if (stat === undefined) throw missingParameter('Statistic or ExtendedStatistic');
    if (input.ExtendedStatistic !== undefined && !/^p\d/.test(stat))
      throw invalidParameter(
        `The ExtendedStatistic ${stat} is not a percentile the sandbox computes (p0.0 to p100).`,
      );
    if (!parseStatistic(stat)) throw invalidParameter(`The statistic ${stat} is not valid.`);
    const periodSeconds = alarmPeriod(input.Period);
    fields = {
      metric: {
        namespace: input.Namespace,
        metricName: input.MetricName,
        dimensions: (input.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
        periodSeconds,
        stat,
        ...(input.Unit !== undefined ? { unit: input.Unit } : {}),
      },
      periodSeconds,
    };
  }
  const datapoints = input.DatapointsToAlarm ?? input.EvaluationPeriods;
  if (datapoints > input.EvaluationPeriods)
    throw validationError(
      `DatapointsToAlarm (${datapoints}) must be less than or equal to EvaluationPeriods (${input.EvaluationPeriods}).`,
    );
  if (input.EvaluationPeriods * fields.periodSeconds > MAX_EVALUATION_SECONDS)
    throw validationError(
      `The alarm evaluates ${input.EvaluationPeriods} periods of ${fields.periodSeconds} seconds: more than the seven days CloudWatch allows.`,
    );
  const treat = input.TreatMissingData ?? 'missing';
  if (!(TREAT_MISSING as readonly string[]).includes(treat))
    throw invalidParameter(
      `The parameter TreatMissingData must be breaching, notBreaching, ignore or missing, not ${treat}.`,
    );
  const actions = [
    ...(input.AlarmActions ?? []),
    ...(input.OKActions ?? []),
    ...(input.InsufficientDataActions ?? []),
  ];
  const badArn = actions.find((a) => !/^arn:aws[\w-]*:[\w-]+:/.test(a));
  if (badArn) throw invalidParameter(`Invalid arn syntax: ${badArn}`);
  if ((input.InsufficientDataActions ?? []).some((a) => a.includes(':autoscaling:')))
    throw validationError(
      'The Ballast sandbox does not emulate Auto Scaling actions on INSUFFICIENT_DATA: use AlarmActions or OKActions.',
    );
  const existing = ctx.simulation.alarm(input.AlarmName);
  ctx.simulation.putMetricAlarm({
    name: input.AlarmName,
    ...(input.AlarmDescription !== undefined ? { description: input.AlarmDescription } : {}),
    ...fields,
    evaluationPeriods: input.EvaluationPeriods,
    datapointsToAlarm: datapoints,
    threshold: input.Threshold,
    comparison: input.ComparisonOperator as ComparisonOperator,
    treatMissingData: treat as TreatMissingData,
    alarmActions: input.AlarmActions ?? [],
    okActions: input.OKActions ?? [],
    actionsEnabled: input.ActionsEnabled ?? true,
    tier: existing?.definition.tier ?? '',
    createdAt: ctx.now,
  });
  return {};
}

function deleteAlarms(input: z.infer<typeof DeleteAlarmsInput>, ctx: CloudWatchContext) {
  // Nothing is deleted if any name is wrong.
  const alarms = input.AlarmNames.map((name) => {
    const alarm = ctx.simulation.alarm(name);
    if (!alarm)
      throw new AwsError(
        'ResourceNotFound',
        `Alarm ${name} does not exist.`,
        404,
        'ResourceNotFound',
      );
    return alarm;
  });
  for (const alarm of alarms) ctx.simulation.deleteAlarm(alarm, ctx.now);
  return {};
}
