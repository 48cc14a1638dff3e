// The Load tests page's runs and actions from the collectors' load-test runner, with the
// dashboard's collector session: the same preflight, runner, store and report as
// `ballast loadtest`.
import { dirname, join } from 'node:path';
import {
  loadTestReport,
  planLoadTest,
  startLoadTest,
  type CollectorSession,
  type PlanLoadTestOptions,
} from '@ballast/collectors';
import { orphanedRun, type PlatformConfig, type ResolvedContext, type Store } from '@ballast/core';
import { profilePath, scenarioNames, scriptPath } from '@ballast/loadtests';
import { durationSecondsOf, type LoadTestsDeps } from './loadtests.js';

export interface LoadTestSourceOptions {
  context: ResolvedContext;
  store: Store;
  session: CollectorSession;
  platform: PlatformConfig;
  now: () => number;
  /** where k6 is found (K6_BIN, PATH) and the environment it runs in; default process.env */
  env?: NodeJS.ProcessEnv;
  /** where runs keep their files; default loadtests/ beside the store */
  runsDir?: string;
  /** the what-if model's view of a group (the change engine's replayContext), for the cost */
  capacity?: PlanLoadTestOptions['capacity'];
}

export function loadTestSource(options: LoadTestSourceOptions): LoadTestsDeps {
  const { context, store, session, platform, now } = options;
  const env = options.env ?? process.env;
  const orphaned = orphanedRun();
  return {
    store,
    context: context.name,
    scenarios: scenarioNames,
    now,
    orphaned,
    plan: (request) =>
      planLoadTest({
        platform,
        context: context.name,
        store,
        scenario: request.scenario,
        profileFile: profilePath(request.scenario),
        target: request.target,
        ...(request.scale !== undefined ? { scale: request.scale } : {}),
        ...(request.duration ? { durationSeconds: durationSecondsOf(request)! } : {}),
        ...(request.maxVus !== undefined ? { maxVus: request.maxVus } : {}),
        ...(request.overrides ? { overrides: request.overrides } : {}),
        env,
        now: now(),
        ...(options.capacity ? { capacity: options.capacity } : {}),
      }),
    start: (plan, startedBy) =>
      startLoadTest({
        store,
        context: context.name,
        scenario: plan.scenario,
        target: plan.target,
        tiers: [],
        runOptions: plan.runOptions,
        details: {
          scale: plan.scale,
          estimate: plan.estimate,
          cost: plan.cost,
          startedBy: { user: startedBy, via: 'dashboard' },
        },
        k6: plan.k6!,
        script: scriptPath(plan.scenario),
        runsDir: options.runsDir ?? join(dirname(store.file), 'loadtests'),
        now,
        // k6 that runs far past its own end is stuck: stop it (setup and teardown get a margin)
        runner: { env, deadlineMs: plan.estimate.durationSeconds * 2000 + 5 * 60_000 },
      }),
    report: (run) => loadTestReport({ context, store, run, session, platform, now: now() }),
  };
}
