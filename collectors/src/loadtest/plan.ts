// The preflight of a load test, the same for the CLI and the dashboard: the profile scaled
// to the size asked, what it will send (requests, bytes, peak rate) and cost, k6 and its
// version, whether the target answers, and the guardrails: a production platform needs
// --i-know-this-is-production for a target that is not loopback, a test above the
// platform's load-test limits needs --force, and a running test blocks a second one.
import { readFileSync } from 'node:fs';
import {
  baseReplayConfig,
  estimateLoad,
  formatValue,
  loadTestExtraInstances,
  testRequestsPerMinute,
  estimateLoadTestCost,
  isLoopbackHost,
  k6RunOptions,
  orphanedRun,
  parseLoadProfile,
  scaleLoadProfile,
  thresholdsFromSlos,
  type K6RunOptions,
  type K6Thresholds,
  type LoadEstimate,
  type LoadProfile,
  type LoadStep,
  type LoadTestCost,
  type LoadTestRun,
  type LoadTestCostOptions,
  type PlatformConfig,
  type ReplayContext,
  type Store,
} from '@ballast/core';
import { LoadTestError } from './errors.js';
import { findK6, type K6Binary } from './k6.js';

export type PreflightOverride = 'force' | 'i-know-this-is-production';

export interface PreflightCheck {
  id: 'k6' | 'target' | 'production' | 'limits' | 'running';
  ok: boolean;
  message: string;
  /** the flag that lets it through, when one may */
  override?: PreflightOverride;
  /** given: the override was used */
  overridden?: boolean;
  actions?: string[];
}

export interface LoadTestPlan {
  scenario: string;
  description: string;
  target: string;
  scale: number;
  /** the scaled profile the test runs */
  profile: LoadProfile;
  estimate: LoadEstimate;
  cost: LoadTestCost;
  thresholds: K6Thresholds;
  /** the document the script reads (BALLAST_RUN_OPTIONS) */
  runOptions: K6RunOptions;
  k6?: K6Binary;
  checks: PreflightCheck[];
  /** the checks that refuse the run with the overrides given */
  blocking: PreflightCheck[];
  running?: LoadTestRun;
}

export interface PlanLoadTestOptions {
  platform: PlatformConfig;
  context: string;
  store: Store;
  scenario: string;
  profileFile: string;
  target: string;
  scale?: number;
  durationSeconds?: number;
  maxVus?: number;
  overrides?: PreflightOverride[];
  /** local: k6 runs here; distributed: in a cluster (k6 and the target are checked there) */
  mode?: 'local' | 'distributed';
  env?: NodeJS.ProcessEnv;
  now: number;
  /** deadline of the target check (default 5 s) */
  targetTimeoutMs?: number;
  /**
   * The what-if model's view of a group (the change engine's replayContext): with it, the
   * cost includes the instance-hours the test makes the web group's scaling policy add.
   */
  capacity?: (group: string) => Promise<ReplayContext | { unavailable: string }>;
}

/** The Auto Scaling group of the platform's web tier (the one behind the load balancer). */
function webGroupOf(platform: PlatformConfig): string | undefined {
  for (const tier of platform.tiers) {
    if (!tier.resources.some((r) => r.type === 'alb')) continue;
    if (tier.resources.some((r) => r.type === 'sqs-queue')) continue;
    const asg = tier.resources.find((r) => r.type === 'asg');
    if (asg) return asg.name;
  }
  return undefined;
}

/** The web group's extra instance-hours for the cost estimate, or why there are none. */
async function extraInstancesOf(
  options: PlanLoadTestOptions,
  profile: LoadProfile,
  originSteps: readonly LoadStep[],
): Promise<Pick<LoadTestCostOptions, 'extraInstances' | 'extraInstancesUnavailable'>> {
  if (!options.capacity) return {};
  const group = webGroupOf(options.platform);
  if (!group)
    return {
      extraInstancesUnavailable:
        'the platform config has no web tier with an Auto Scaling group behind a load balancer',
    };
  let ctx: ReplayContext | { unavailable: string };
  try {
    ctx = await options.capacity(group);
  } catch (err) {
    ctx = { unavailable: `${group} could not be read (${(err as Error).message})` };
  }
  if ('unavailable' in ctx) return { extraInstancesUnavailable: ctx.unavailable };
  const current = baseReplayConfig(ctx.facts, undefined, ctx.prices);
  if (!current.policy)
    return {
      extraInstancesUnavailable: `${group} has no enabled target-tracking policy the model replays, so the test adds no instance by itself`,
    };
  const extra = loadTestExtraInstances({
    recorded: ctx.recorded,
    current,
    slo: ctx.tier.slo,
    testRequestsPerMinute: testRequestsPerMinute(profile, originSteps),
    now: options.now,
  });
  if ('unavailable' in extra) return { extraInstancesUnavailable: extra.unavailable };
  const instanceType = ctx.facts.group.instanceTypes[0];
  if (!instanceType)
    return { extraInstancesUnavailable: `the instance type of ${group} is not known` };
  return {
    extraInstances: {
      instanceHours: extra.instanceHours,
      instanceType,
      basis: `${group}: ${extra.basis}`,
    },
  };
}

export async function planLoadTest(options: PlanLoadTestOptions): Promise<LoadTestPlan> {
  const { platform, target } = options;
  let url: URL;
  try {
    url = new URL(target);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new LoadTestError(
      `--target ${target} is not an http(s) URL.`,
      'InvalidTarget',
      ['Give the base URL of the store, e.g. --target http://127.0.0.1:4566/store'],
      { exitCode: 2 },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(options.profileFile, 'utf8'));
  } catch (err) {
    throw new LoadTestError(
      `Cannot read the load profile ${options.profileFile}: ${(err as Error).message}`,
      'InvalidProfile',
      ['Rebuild or reinstall Ballast: the profiles ship with @ballast/loadtests.'],
    );
  }
  const base = parseLoadProfile(raw, options.profileFile);
  let profile: LoadProfile;
  try {
    profile = scaleLoadProfile(base, {
      scale: options.scale ?? 1,
      ...(options.durationSeconds !== undefined
        ? { durationSeconds: options.durationSeconds }
        : {}),
      ...(options.maxVus !== undefined ? { maxVus: options.maxVus } : {}),
    });
  } catch (err) {
    throw new LoadTestError((err as Error).message, 'InvalidSize', [], { exitCode: 2 });
  }
  const estimate = estimateLoad(profile);
  const assetSteps = new Set(['model-glb', 'texture']);
  const origin = estimate.steps.filter((s) => !assetSteps.has(s.step));
  const extraInstances = await extraInstancesOf(
    options,
    profile,
    origin.map((s) => s.step),
  );
  const cost = estimateLoadTestCost(
    {
      durationSeconds: estimate.durationSeconds,
      requests: estimate.requests,
      bytes: estimate.bytes,
      peakRequestsPerSecond: estimate.peakRequestsPerSecond,
      peakVus: estimate.peakVus,
      originRequests: origin.reduce((s, x) => s + x.requests, 0),
      originBytes: origin.reduce((s, x) => s + x.bytes, 0),
    },
    extraInstances,
  );
  const thresholds = thresholdsFromSlos(platform);
  const runOptions = k6RunOptions(profile, thresholds);
  const overrides = new Set(options.overrides ?? []);
  const local = (options.mode ?? 'local') === 'local';
  const checks: PreflightCheck[] = [];

  let k6: K6Binary | undefined;
  if (local) {
    try {
      k6 = await findK6(options.env ?? process.env);
      checks.push({
        id: 'k6',
        ok: true,
        message: `k6 ${k6.version.text} at ${k6.path} (from ${k6.from}).`,
      });
    } catch (err) {
      const e = err as LoadTestError;
      checks.push({ id: 'k6', ok: false, message: e.message, actions: e.actions ?? [] });
    }
    checks.push(await targetCheck(url, options.targetTimeoutMs ?? 5000));
  }

  const loopback = isLoopbackHost(url.hostname);
  if (platform.environment === 'production' && !loopback)
    checks.push({
      id: 'production',
      ok: false,
      message: `Platform ${platform.name} is production (environment: production in its config), and ${url.host} is not loopback: this test sends real load to real shoppers' store.`,
      override: 'i-know-this-is-production',
      overridden: overrides.has('i-know-this-is-production'),
      actions: ['Run it against a staging copy, or at a quiet hour with the team told.'],
    });
  else
    checks.push({
      id: 'production',
      ok: true,
      message: loopback
        ? `${url.host} is loopback.`
        : `Platform ${platform.name} is ${platform.environment ? `marked ${platform.environment}` : 'not marked production'}.`,
    });

  const limits = platform.loadTests;
  const over: string[] = [];
  if (limits?.maxVus !== undefined && estimate.peakVus > limits.maxVus)
    over.push(`${Math.round(estimate.peakVus)} VUs > maxVus ${limits.maxVus}`);
  if (
    limits?.maxRequestsPerSecond !== undefined &&
    estimate.peakRequestsPerSecond > limits.maxRequestsPerSecond
  )
    over.push(
      `${estimate.peakRequestsPerSecond.toFixed(1)} req/s > maxRequestsPerSecond ${limits.maxRequestsPerSecond}`,
    );
  if (
    limits?.maxDurationMinutes !== undefined &&
    estimate.durationSeconds / 60 > limits.maxDurationMinutes
  )
    over.push(
      `${(estimate.durationSeconds / 60).toFixed(1)} min > maxDurationMinutes ${limits.maxDurationMinutes}`,
    );
  if (limits?.maxBytes !== undefined && estimate.bytes > limits.maxBytes)
    over.push(
      `${formatValue(estimate.bytes, 'bytes')} > maxBytes ${formatValue(limits.maxBytes, 'bytes')}`,
    );
  checks.push(
    over.length
      ? {
          id: 'limits',
          ok: false,
          message: `Larger than the load-test limits of ${platform.name}: ${over.join('; ')}.`,
          override: 'force',
          overridden: overrides.has('force'),
          actions: [
            'Make it smaller with --scale, --duration or --max-vus, or raise loadTests in the platform config.',
          ],
        }
      : {
          id: 'limits',
          ok: true,
          message: limits
            ? `Within the load-test limits of ${platform.name}.`
            : `No load-test limits in the platform config of ${platform.name}.`,
        },
  );

  const [running] = options.store.loadTests.running(options.context, orphanedRun(), options.now);
  checks.push(
    running
      ? {
          id: 'running',
          ok: false,
          message: `Load test ${running.id} (${running.scenario}) is running on ${options.context} since ${new Date(running.startedAt).toISOString()}: one at a time.`,
          actions: [
            `Wait for it, or stop it where it runs; see it with: ballast loadtest show ${running.id}`,
          ],
        }
      : {
          id: 'running',
          ok: true,
          message: `No other load test is running on ${options.context}.`,
        },
  );
  return {
    scenario: options.scenario,
    description: profile.description,
    target,
    scale: options.scale ?? 1,
    profile,
    estimate,
    cost,
    thresholds,
    runOptions,
    ...(k6 ? { k6 } : {}),
    checks,
    blocking: checks.filter((c) => !c.ok && !c.overridden),
    ...(running ? { running } : {}),
  };
}

/** Whether the target answers HTTP at all (its /health first, as the storefront has one). */
async function targetCheck(url: URL, timeoutMs: number): Promise<PreflightCheck> {
  const base = url.href.replace(/\/+$/, '');
  const started = Date.now();
  let lastError = '';
  for (const probe of [`${base}/health`, base]) {
    try {
      const response = await fetch(probe, {
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      await response.body?.cancel();
      if (response.status === 404 && probe !== base) continue;
      return {
        id: 'target',
        ok: true,
        message: `${probe} answered ${response.status} in ${Date.now() - started} ms.`,
      };
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      lastError = cause ?? (err as Error).name;
    }
  }
  return {
    id: 'target',
    ok: false,
    message: `${base} does not answer (${lastError}).`,
    actions: [
      'Check the URL and that the store is up (for the sandbox: npm start), then run it again.',
    ],
  };
}
