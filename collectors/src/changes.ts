// The change service: core's change engine wired to AWS (or the sandbox) through the
// collectors' metered clients, and to the store's audit log. The CLI and the dashboard call
// this, never the engine's ports or an SDK client, so both plan, guard, apply, verify, audit
// and revert the same way. Every AWS failure comes out classified, with what to do.
import { readFile, writeFile } from 'node:fs/promises';
import {
  ChangeRefusedError,
  createChangeEngine,
  loadPlatformConfig,
  parsePlan,
  planBlackFriday,
  PortError,
  recordedQueries,
  REPLAY_PERIOD_SECONDS,
  serializePlan,
  storeLoadTests,
  toRecordedSeries,
  type ApplyOptions,
  type ApplyResult,
  type AuditChainReport,
  type AutoScalingPort,
  type BlackFridayOptions,
  type BlackFridaySchedule,
  type ChangeAnnotation,
  type ChangeEngine,
  type ChangeEngineOptions,
  type ChangeRecord,
  type GuardrailOverride,
  type IdentityPort,
  type LoadTestsPort,
  type Plan,
  type PlanRequest,
  type PlatformConfig,
  type RecordedSeries,
  type ResolvedContext,
  type Store,
  type TierHealthPort,
  type TrafficPort,
} from '@ballast/core';
import { AutoScalingChanges } from './autoscaling.js';
import { CloudWatchCollector } from './cloudwatch.js';
import { classifyAwsError, errorHints, type ErrorHints, type SourceError } from './errors.js';
import { collectHealth } from './health.js';
import type { MeteredService } from './metering.js';
import { createCollectorSession, type CollectorSession } from './session.js';
import { StsIdentity } from './sts.js';

/** An AWS call of a change failed: `error` is the classified failure, with its advice. */
export class ChangeAwsError extends PortError {
  constructor(
    readonly error: SourceError,
    cause: unknown,
  ) {
    super(error.message, error.actions ?? [], { cause });
    this.name = 'ChangeAwsError';
  }
}

export interface ChangeServiceOptions {
  context: ResolvedContext;
  store: Store;
  /** metered clients to share with other collections of the process; one is made otherwise */
  session?: CollectorSession;
  /** the clock of plans, the audit and verify (default Date.now) */
  now?: () => number;
  /** plan and change ids (default Math.random) */
  random?: () => number;
  /** default: the context's platform config */
  platform?: PlatformConfig;
  /** load tests running now (default: the runs recorded in the store) */
  loadTests?: LoadTestsPort;
  /** deadline of the health collection a scale-in is checked against (default 20 s) */
  healthTimeoutMs?: number;
  /** deadline of reading the recorded week a what-if replays (default 60 s) */
  trafficTimeoutMs?: number;
  /** the engine's read-back, lease and replay settings */
  engine?: Partial<
    Pick<ChangeEngineOptions, 'verify' | 'sleep' | 'leaseMs' | 'processAlive' | 'replayWindowMs'>
  >;
}

export interface ChangeService {
  readonly engine: ChangeEngine;
  /** Reads the live state, diffs, checks the guardrails and replays the effect. */
  planChange(request: PlanRequest): Promise<Plan>;
  /** Applies a plan (compare-and-set, verify, audit); refusals throw ChangeRefusedError. */
  applyChange(plan: Plan, options: ApplyOptions): Promise<ApplyResult>;
  /** The plan that undoes an applied change. */
  planRevert(
    changeId: string,
    options?: { overrides?: GuardrailOverride[]; signal?: AbortSignal },
  ): Promise<Plan>;
  /** Plans the revert and applies it. */
  revert(changeId: string, options: ApplyOptions): Promise<ApplyResult>;
  /** Checks the audit log's hash chain; names the first broken entry. */
  verify(): AuditChainReport;
  /** Records the outcome of applies whose process died; returns their change ids. */
  recover(signal?: AbortSignal): Promise<string[]>;
  list(range?: { from?: number; to?: number }): ChangeRecord[];
  show(changeId: string): ChangeRecord | undefined;
  annotations(range: { from: number; to: number }): ChangeAnnotation[];
  /** Pre-scaling schedules for a sale, one scheduled-actions plan per group. */
  planBlackFriday(
    options: BlackFridayOptions & {
      groups?: string[];
      overrides?: GuardrailOverride[];
      signal?: AbortSignal;
    },
  ): Promise<{ schedule: BlackFridaySchedule; plan: Plan }[]>;
  /** Writes a plan file (`--out`). */
  savePlan(file: string, plan: Plan): Promise<void>;
  /** Reads a plan file; refuses a missing, foreign or edited one with what to do. */
  loadPlan(file: string): Promise<Plan>;
}

export function createChangeService(options: ChangeServiceOptions): ChangeService {
  const { context, store } = options;
  const now = options.now ?? Date.now;
  const session = options.session ?? createCollectorSession(context, store, { now });
  const platform = options.platform ?? loadPlatformConfig(context.platformConfig);
  const hints = errorHints(context);
  const { autoscaling, identity } = classifiedPorts(
    new AutoScalingChanges(session.clients.autoscaling),
    new StsIdentity(session.clients.sts),
    hints,
  );
  const engine = createChangeEngine({
    context: context.name,
    platform,
    store,
    now,
    ...(options.random ? { random: options.random } : {}),
    ports: {
      autoscaling,
      identity,
      loadTests: options.loadTests ?? storeLoadTests(store, context.name),
      health: tierHealth(options, session),
      traffic: recordedTraffic({ ...options, platform, session }),
    },
    ...options.engine,
  });

  return {
    engine,
    planChange: (request) => engine.plan(request),
    applyChange: (plan, opts) => engine.apply(plan, opts),
    planRevert: (changeId, opts) => engine.planRevert(changeId, opts),
    async revert(changeId, opts) {
      const plan = await engine.planRevert(changeId, {
        ...(opts.overrides ? { overrides: opts.overrides } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return engine.apply(plan, opts);
    },
    verify: () => engine.verifyAudit(),
    recover: (signal) => engine.recover(signal),
    list: (range) => engine.list(range),
    show: (changeId) => engine.show(changeId),
    annotations: (range) => engine.annotations(range),
    planBlackFriday: (opts) => planBlackFriday(engine, { ...opts, now: now() }),
    savePlan: (file, plan) => writeFile(file, serializePlan(plan), 'utf8'),
    async loadPlan(file) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new ChangeRefusedError(
          'invalid-plan',
          code === 'ENOENT'
            ? `No plan file ${file}.`
            : `Cannot read the plan file ${file} (${code ?? String(err)}).`,
          [
            'Make a plan with --out FILE, then apply that file: ballast scaling plan GROUP ... --out FILE',
          ],
        );
      }
      return parsePlan(text, file);
    },
  };
}

/** The ports with each AWS failure classified (kind, message naming the action, advice). */
function classifiedPorts(
  autoscaling: AutoScalingPort,
  identity: IdentityPort,
  hints: ErrorHints,
): { autoscaling: AutoScalingPort; identity: IdentityPort } {
  const call = async <T>(
    service: MeteredService,
    operation: string,
    fn: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw new ChangeAwsError(classifyAwsError(err, service, operation, hints), err);
    }
  };
  return {
    autoscaling: {
      describeGroup: (name, signal) =>
        call('autoscaling', 'DescribeAutoScalingGroups', () =>
          autoscaling.describeGroup(name, signal),
        ),
      describePolicies: (group, signal) =>
        call('autoscaling', 'DescribePolicies', () => autoscaling.describePolicies(group, signal)),
      describeScheduledActions: (group, signal) =>
        call('autoscaling', 'DescribeScheduledActions', () =>
          autoscaling.describeScheduledActions(group, signal),
        ),
      describeAccountLimits: (signal) =>
        call('autoscaling', 'DescribeAccountLimits', () =>
          autoscaling.describeAccountLimits(signal),
        ),
      execute: (write, signal) =>
        call('autoscaling', write.op, () => autoscaling.execute(write, signal)),
    },
    identity: {
      callerIdentity: (signal) =>
        call('sts', 'GetCallerIdentity', () => identity.callerIdentity(signal)),
    },
  };
}

const HOUR = 3_600_000;

/** A tier's health now, from a health collection of that tier over the last hour. */
function tierHealth(
  options: Pick<ChangeServiceOptions, 'context' | 'store' | 'healthTimeoutMs'>,
  session: CollectorSession,
): TierHealthPort {
  return {
    async tierStatus(tier, at, signal) {
      const health = await collectHealth({
        context: options.context,
        store: options.store,
        session,
        now: at,
        sinceMs: HOUR,
        tier,
        timeoutMs: options.healthTimeoutMs ?? 20_000,
        ...(signal ? { signal } : {}),
      });
      const found = health.tiers.find((t) => t.tier === tier);
      return found
        ? { status: found.status, reasons: found.reasons }
        : { status: 'unknown', reasons: [`no tier ${tier} in the health report`] };
    },
  };
}

/**
 * The recorded minutes a what-if replays: read from CloudWatch once and kept in the store
 * (1-minute series, kept 15 days), then only the minutes since the last read (and the two
 * before it, which may have been incomplete then). Which minutes were read is kept apart
 * (`recorded-traffic/<group>` in the response cache): what a health collection stored for
 * the last hour does not make the week before it look read.
 */
export function recordedTraffic(
  options: Pick<ChangeServiceOptions, 'context' | 'store' | 'trafficTimeoutMs'> & {
    platform: PlatformConfig;
    session: CollectorSession;
  },
): TrafficPort {
  const { context, store, platform, session } = options;
  return {
    async recorded(group, range, signal): Promise<RecordedSeries | undefined> {
      const tier = platform.tiers.find((t) =>
        t.resources.some((r) => r.type === 'asg' && r.name === group),
      );
      if (!tier) return undefined;
      const queries = recordedQueries(tier, group);
      const ids = queries.map((q) => q.query.id);
      const periodMs = REPLAY_PERIOD_SECONDS * 1000;
      const key = `recorded-traffic/${group}`;
      const read = store.readCache<{ from: number; to: number }>(context.name, [key])[0]?.body;
      const continues = read !== undefined && read.from <= range.start && read.to >= range.start;
      const from = continues ? Math.max(range.start, read.to - 2 * periodMs) : range.start;
      if (from < range.end) {
        const deadline = AbortSignal.timeout(options.trafficTimeoutMs ?? 60_000);
        const abortSignal = signal ? AbortSignal.any([deadline, signal]) : deadline;
        try {
          const fetched = await new CloudWatchCollector(session.clients.cloudwatch, {
            abortSignal,
          }).getMetricData(
            queries.map((q) => q.query),
            { start: from, end: range.end },
          );
          store.saveSeries(context.name, fetched, REPLAY_PERIOD_SECONDS);
          store.writeCache(context.name, [
            {
              key,
              fetchedAt: session.now(),
              final: false,
              body: { from: continues ? read.from : range.start, to: range.end },
            },
          ]);
        } catch (err) {
          throw new ChangeAwsError(
            classifyAwsError(
              deadline.aborted ? deadline.reason : err,
              'cloudwatch',
              'GetMetricData',
              errorHints(context),
            ),
            err,
          );
        }
      }
      return toRecordedSeries(
        store.loadSeries(context.name, ids, range.start, range.end),
        queries,
        range,
      );
    },
  };
}
