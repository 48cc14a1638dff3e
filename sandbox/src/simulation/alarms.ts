// CloudWatch metric alarms, evaluated by the simulation as each period completes: M out of N
// datapoints breaching -> ALARM, with AWS's StateReason text, StateReasonData and history.
import type { AlarmState, Dimension } from '@ballast/core';
import { alarmReasonDate, DAY_MS, isoMillisOffset } from '../time.js';

export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

/** One metric with a statistic and period, as in CloudWatch's MetricStat. */
export interface MetricStatSpec {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  periodSeconds: number;
  /** Average, Sum, Maximum, ... or a percentile such as p99 */
  stat: string;
  unit?: string;
}

/** One entry of a metric-math alarm's Metrics list. */
export interface AlarmMathQuery {
  id: string;
  metricStat?: MetricStatSpec;
  expression?: string;
  label?: string;
  returnData: boolean;
}

export interface MetricAlarmDefinition {
  name: string;
  description?: string;
  /** the alarm's metric, or undefined for a metric-math alarm (then `metrics` is set) */
  metric?: MetricStatSpec;
  metrics?: AlarmMathQuery[];
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: ComparisonOperator;
  treatMissingData: TreatMissingData;
  alarmActions: string[];
  okActions: string[];
  /** false: the alarm changes state but runs none of its actions (default true) */
  actionsEnabled?: boolean;
  /** platform tier the alarm belongs to */
  tier: string;
  /** epoch ms the alarm was (notionally) created */
  createdAt: number;
}

export interface AlarmDatapoint {
  value: number;
  sampleCount: number;
}

/** Reads the alarm's datapoint for the period starting at periodStartMs (undefined: no data). */
export type DatapointSource = (
  periodStartMs: number,
  periodMs: number,
) => AlarmDatapoint | undefined;

/**
 * What an evaluation saw when it changed the state: enough to write CloudWatch's
 * StateReason and StateReasonData when someone reads them (most transitions never are).
 */
interface Evaluation {
  state: AlarmState;
  /** end of the newest evaluated period, epoch ms */
  periodEndMs: number;
  queryTimeMs: number;
  /** datapoints newest first (NaN for missing), then their sample counts */
  datapoints: Float64Array;
  breaching: number;
}

/** One state change, as DescribeAlarmHistory reports it. */
export interface AlarmHistoryEntry {
  alarmName: string;
  timestamp: number;
  oldState: AlarmState;
  newState: AlarmState;
  /** HistoryData JSON */
  data(): string;
}

/** Summary line of a history entry, as CloudWatch writes it. */
export const historySummary = (e: AlarmHistoryEntry): string =>
  `Alarm updated from ${e.oldState} to ${e.newState}`;

/** CloudWatch keeps 30 days of alarm history. */
export const HISTORY_RETENTION_MS = 30 * DAY_MS;
const INITIAL_REASON = 'Unchecked: Initial alarm creation';

export class MetricAlarm {
  definition: MetricAlarmDefinition;
  stateUpdatedAt: number;
  /** deleted (DeleteAlarms, or with its scaling policy): no longer evaluated */
  deleted = false;
  /** most recent datapoint seen, for policies that act on the alarm's metric */
  latestValue: number | undefined;
  private current: Evaluation | undefined;
  private readonly historyEntries: AlarmHistoryEntry[] = [];
  private periodMs: number;
  // The last EvaluationPeriods datapoints, newest first (NaN: missing), with running counts.
  // Datapoints of complete periods never change, so each evaluation reads only the newest.
  private values: Float64Array;
  private sampleCounts: Float64Array;
  private present = 0;
  private breaching = 0;
  private lastPeriodEnd = Number.NaN;

  constructor(
    definition: MetricAlarmDefinition,
    private readDatapoint: DatapointSource,
    readonly arn: string,
  ) {
    this.definition = checked(definition);
    this.periodMs = definition.periodSeconds * 1000;
    this.values = new Float64Array(definition.evaluationPeriods).fill(Number.NaN);
    this.sampleCounts = new Float64Array(definition.evaluationPeriods);
    this.stateUpdatedAt = definition.createdAt;
  }

  /**
   * A new configuration (PutMetricAlarm on an existing alarm, or a scaling policy updating
   * its alarms): state and history stay, the next evaluation reads the new metric afresh.
   */
  reconfigure(definition: MetricAlarmDefinition, readDatapoint: DatapointSource): void {
    if (definition.name !== this.name) throw new RangeError('an alarm keeps its name');
    this.definition = checked(definition);
    this.readDatapoint = readDatapoint;
    this.periodMs = definition.periodSeconds * 1000;
    this.values = new Float64Array(definition.evaluationPeriods).fill(Number.NaN);
    this.sampleCounts = new Float64Array(definition.evaluationPeriods);
    this.present = 0;
    this.breaching = 0;
    this.lastPeriodEnd = Number.NaN;
  }

  /** The datapoints of the last evaluation, newest first, without the missing ones. */
  recentValues(): number[] {
    return [...this.values].filter((v) => !Number.isNaN(v));
  }

  get name(): string {
    return this.definition.name;
  }

  get state(): AlarmState {
    return this.current?.state ?? 'INSUFFICIENT_DATA';
  }

  get stateReason(): string {
    return this.current ? this.reasonFor(this.current) : INITIAL_REASON;
  }

  /** StateReasonData JSON, undefined before the first evaluation. */
  get stateReasonData(): string | undefined {
    return this.current ? this.reasonData(this.current) : undefined;
  }

  get history(): readonly AlarmHistoryEntry[] {
    return this.historyEntries;
  }

  /** Whether a period of this alarm ends at periodEndMs. */
  isDue(periodEndMs: number): boolean {
    return periodEndMs % this.periodMs === 0;
  }

  /** Evaluate the last EvaluationPeriods periods ending at periodEndMs; returns true on a state change. */
  evaluate(periodEndMs: number, queryTimeMs: number): boolean {
    const def = this.definition;
    const n = def.evaluationPeriods;
    if (this.lastPeriodEnd === periodEndMs - this.periodMs) {
      this.count(n - 1, -1);
      this.values.copyWithin(1, 0, n - 1);
      this.sampleCounts.copyWithin(1, 0, n - 1);
      this.read(0, periodEndMs);
    } else {
      this.present = 0;
      this.breaching = 0;
      for (let k = 0; k < n; k++) this.read(k, periodEndMs);
    }
    this.lastPeriodEnd = periodEndMs;
    if (!Number.isNaN(this.values[0]!)) this.latestValue = this.values[0];

    let next: AlarmState;
    if (
      this.present === 0 &&
      (def.treatMissingData === 'missing' || def.treatMissingData === 'ignore')
    ) {
      if (def.treatMissingData === 'ignore') return false;
      next = 'INSUFFICIENT_DATA';
    } else {
      next = this.breaching >= def.datapointsToAlarm ? 'ALARM' : 'OK';
    }
    if (next === this.state) return false;
    this.transition({
      state: next,
      periodEndMs,
      queryTimeMs,
      datapoints: Float64Array.of(...this.values, ...this.sampleCounts),
      breaching: this.breaching,
    });
    return true;
  }

  /** Read datapoint k (0 = newest) of the window ending at periodEndMs into the window. */
  private read(k: number, periodEndMs: number): void {
    const point = this.readDatapoint(periodEndMs - (k + 1) * this.periodMs, this.periodMs);
    this.values[k] = point ? point.value : Number.NaN;
    this.sampleCounts[k] = point ? point.sampleCount : 0;
    this.count(k, 1);
  }

  /** Add (sign 1) or remove (sign -1) datapoint k from the running counts. */
  private count(k: number, sign: 1 | -1): void {
    const v = this.values[k]!;
    if (Number.isNaN(v)) {
      if (this.definition.treatMissingData === 'breaching') this.breaching += sign;
    } else {
      this.present += sign;
      if (this.breaches(v)) this.breaching += sign;
    }
  }

  private breaches(value: number): boolean {
    const t = this.definition.threshold;
    switch (this.definition.comparison) {
      case 'GreaterThanThreshold':
        return value > t;
      case 'GreaterThanOrEqualToThreshold':
        return value >= t;
      case 'LessThanThreshold':
        return value < t;
      case 'LessThanOrEqualToThreshold':
        return value <= t;
    }
  }

  private reasonFor(e: Evaluation): string {
    const def = this.definition;
    const n = def.evaluationPeriods;
    if (e.state === 'INSUFFICIENT_DATA') {
      return `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`;
    }
    const alarming = e.state === 'ALARM';
    const listed: string[] = [];
    for (let k = 0; k < n; k++) {
      const v = e.datapoints[k]!;
      if (!Number.isNaN(v) && this.breaches(v) === alarming) {
        listed.push(
          `${javaDouble(v)} (${alarmReasonDate(e.periodEndMs - (k + 1) * this.periodMs)})`,
        );
      }
    }
    const count = alarming ? e.breaching : n - e.breaching;
    const verb = count === 1 ? 'was' : 'were';
    const negation = alarming ? '' : 'not ';
    const relation = COMPARISON_TEXT[def.comparison];
    const threshold = `the threshold (${javaDouble(def.threshold)})`;
    if (n === 1)
      return `Threshold Crossed: 1 datapoint [${listed.join(', ')}] ${verb} ${negation}${relation} ${threshold}.`;
    const minimum = alarming ? def.datapointsToAlarm : n - def.datapointsToAlarm + 1;
    const transition = alarming ? 'OK -> ALARM' : 'ALARM -> OK';
    return (
      `Threshold Crossed: ${count} out of the last ${n} datapoints [${listed.join(', ')}] ${verb} ${negation}${relation} ${threshold} ` +
      `(minimum ${minimum} datapoint${minimum === 1 ? '' : 's'} for ${transition} transition).`
    );
  }

  private reasonData(e: Evaluation): string {
    const def = this.definition;
    const recent: number[] = [];
    const evaluated: { timestamp: string; sampleCount: number; value: number }[] = [];
    for (let k = 0; k < def.evaluationPeriods; k++) {
      const v = e.datapoints[k]!;
      if (Number.isNaN(v)) continue;
      recent.push(v);
      evaluated.push({
        timestamp: isoMillisOffset(e.periodEndMs - (k + 1) * this.periodMs),
        sampleCount: e.datapoints[def.evaluationPeriods + k]!,
        value: v,
      });
    }
    return JSON.stringify({
      version: '1.0',
      queryDate: isoMillisOffset(e.queryTimeMs),
      startDate: isoMillisOffset(e.periodEndMs - def.evaluationPeriods * this.periodMs),
      ...statisticFields(def.metric),
      period: def.periodSeconds,
      recentDatapoints: recent,
      threshold: def.threshold,
      evaluatedDatapoints: evaluated,
    });
  }

  private transition(next: Evaluation): void {
    const previous = this.current;
    const entry: AlarmHistoryEntry = {
      alarmName: this.name,
      timestamp: next.queryTimeMs,
      oldState: previous?.state ?? 'INSUFFICIENT_DATA',
      newState: next.state,
      data: () =>
        JSON.stringify({
          version: '1.0',
          oldState: {
            stateValue: previous?.state ?? 'INSUFFICIENT_DATA',
            stateReason: previous ? this.reasonFor(previous) : INITIAL_REASON,
          },
          newState: {
            stateValue: next.state,
            stateReason: this.reasonFor(next),
            stateReasonData: JSON.parse(this.reasonData(next)) as unknown,
          },
        }),
    };
    this.historyEntries.push(entry);
    // Drop what CloudWatch no longer keeps (in batches, to keep pushes cheap).
    const at = next.queryTimeMs;
    if (this.historyEntries[0]!.timestamp < at - HISTORY_RETENTION_MS - DAY_MS) {
      this.historyEntries.splice(
        0,
        this.historyEntries.findIndex((e) => e.timestamp >= at - HISTORY_RETENTION_MS),
      );
    }
    this.current = next;
    this.stateUpdatedAt = at;
  }
}

function checked(definition: MetricAlarmDefinition): MetricAlarmDefinition {
  const { datapointsToAlarm, evaluationPeriods, periodSeconds } = definition;
  if (!(datapointsToAlarm >= 1 && datapointsToAlarm <= evaluationPeriods)) {
    throw new RangeError(
      `${definition.name}: DatapointsToAlarm must be between 1 and EvaluationPeriods`,
    );
  }
  if (!(periodSeconds > 0) || periodSeconds % 60 !== 0)
    throw new RangeError(`${definition.name}: period must be a multiple of 60`);
  return definition;
}

const COMPARISON_TEXT: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** Statistic or ExtendedStatistic (percentiles), as in the alarm's fields. */
export function statisticFields(metric: MetricStatSpec | undefined): {
  statistic?: string;
  extendedStatistic?: string;
} {
  if (!metric) return {};
  return /^p\d/.test(metric.stat) ? { extendedStatistic: metric.stat } : { statistic: metric.stat };
}

/** Numbers as CloudWatch (Java) prints doubles: 5.0, 81.25. */
function javaDouble(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
