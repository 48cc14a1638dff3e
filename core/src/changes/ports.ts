// What the change engine needs from the outside world, as functions. The collectors
// implement them over the AWS SDK (against AWS or the sandbox alike); tests use in-memory
// fakes. Core never imports an SDK.
import type { Status } from '../model/health.js';
import type { AccountLimits, LiveGroup, ScalingPolicy, ScheduledAction, WriteOp } from './model.js';

/**
 * What a port throws when the outside world refused or failed a call: its message is for
 * the user as it is (it names the call and the cause), and `actions` say what to do.
 */
export class PortError extends Error {
  constructor(
    message: string,
    readonly actions: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PortError';
  }
}

/** Reading and writing Auto Scaling. Every call may throw an SDK error (classified by the caller). */
export interface AutoScalingPort {
  /** undefined when no group has that name */
  describeGroup(name: string, signal?: AbortSignal): Promise<LiveGroup | undefined>;
  /** every scaling policy of the group (all pages) */
  describePolicies(group: string, signal?: AbortSignal): Promise<ScalingPolicy[]>;
  /** every scheduled action of the group (all pages) */
  describeScheduledActions(group: string, signal?: AbortSignal): Promise<ScheduledAction[]>;
  describeAccountLimits(signal?: AbortSignal): Promise<AccountLimits>;
  /** one write; resolves when AWS accepted it */
  execute(write: WriteOp, signal?: AbortSignal): Promise<void>;
}

/** STS GetCallerIdentity: who the writes are made as. */
export interface IdentityPort {
  callerIdentity(signal?: AbortSignal): Promise<{ arn: string; account: string; userId: string }>;
}

export interface RunningLoadTest {
  id: string;
  /** tiers or groups the test drives load at; empty = the whole platform */
  targets: string[];
  startedAt: number;
}

/** Load tests running now (the store's runs: storeLoadTests; none: noLoadTests). */
export interface LoadTestsPort {
  running(now: number, signal?: AbortSignal): Promise<RunningLoadTest[]>;
}

export const noLoadTests: LoadTestsPort = { running: () => Promise.resolve([]) };

/** The health evaluation's status of a tier now, with its reasons. */
export interface TierHealthPort {
  tierStatus(
    tier: string,
    now: number,
    signal?: AbortSignal,
  ): Promise<{ status: Status; reasons: string[] }>;
}

/** Recorded per-period series of a group and its tier, for what-if replays. */
export interface RecordedSeries {
  start: number;
  periodSeconds: number;
  /** NaN where nothing was recorded; all arrays have the same length */
  values: Partial<Record<RecordedMetric, Float64Array>>;
}

/**
 * What a replay reads, by role: a web group's load balancer requests (Sum per period),
 * response time p50/p99 (seconds), 5xx (Sum), CPU (Average); a worker group's queue
 * (sent Sum, visible Max, oldest age Max seconds, deleted Sum); the group's desired and
 * in-service capacity (Average).
 */
export type RecordedMetric =
  | 'requests'
  | 'responseTimeP50'
  | 'responseTimeP99'
  | 'errors5xx'
  | 'cpu'
  | 'jobsSent'
  | 'queueVisible'
  | 'queueOldestAge'
  | 'jobsDeleted'
  | 'desired'
  | 'inService';

export interface TrafficPort {
  /**
   * Per-minute history of `group` over [start, end): from the store, or fetched and stored.
   * undefined when there is none.
   */
  recorded(
    group: string,
    range: { start: number; end: number },
    signal?: AbortSignal,
  ): Promise<RecordedSeries | undefined>;
}

export interface ChangePorts {
  autoscaling: AutoScalingPort;
  identity: IdentityPort;
  loadTests: LoadTestsPort;
  health?: TierHealthPort;
  traffic?: TrafficPort;
}
