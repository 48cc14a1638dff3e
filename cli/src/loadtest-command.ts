// What the `ballast loadtest` commands share: the scenario argument, the size flags, the
// preflight (collectors' planLoadTest over @ballast/loadtests' files) and its printing.
import {
  createChangeService,
  createCollectorSession,
  planLoadTest,
  type LoadTestPlan,
  type PreflightOverride,
} from '@ballast/collectors';
import {
  ballastPaths,
  parseDuration,
  type PlatformConfig,
  type ResolvedContext,
  type Store,
} from '@ballast/core';
import { profilePath, scenarioNames, scriptPath } from '@ballast/loadtests';
import { Args, Flags } from '@oclif/core';
import { BallastCommand, contextFlags, type ContextFlags } from './base-command.js';
import { USAGE_EXIT_CODE, UserError } from './errors.js';
import { renderPreflight } from './views/loadtest-view.js';

export const scenarioArg = {
  scenario: Args.string({
    description: `The scenario: ${scenarioNames.join(', ')}.`,
    required: true,
    options: [...scenarioNames],
  }),
};

export const runIdArg = {
  'run-id': Args.string({
    description: 'A run id, as `ballast loadtest list` shows it.',
    required: true,
  }),
};

/** The flags that size a test and aim it. */
export const sizeFlags = {
  target: Flags.string({
    summary: 'Base URL of the store to send load to, e.g. http://127.0.0.1:4566/store.',
    required: true,
  }),
  scale: Flags.custom<number>({
    summary: 'Multiply every shopper count: 0.01 runs a hundredth of the profile.',
    default: 1,
    parse: async (input) => {
      const n = Number(input);
      if (!(n > 0) || !Number.isFinite(n)) throw new Error(`${input} is not a positive number.`);
      return n;
    },
  })(),
  duration: Flags.string({
    summary: "The whole test's length (20s, 5m, 1h); each stage keeps its share of it.",
  }),
  'max-vus': Flags.integer({ summary: 'The most VUs k6 may start.', min: 1 }),
};

export const loadTestContextFlags = { ...contextFlags };

export type SizeFlags = {
  target: string;
  scale: number;
  duration?: string | undefined;
  'max-vus'?: number | undefined;
};

export interface LoadTestSessionInfo {
  context: ResolvedContext;
  platform: PlatformConfig;
  store: Store;
}

export abstract class LoadTestCommand<T> extends BallastCommand<T> {
  protected async openLoadTests(flags: ContextFlags): Promise<LoadTestSessionInfo> {
    const { context, platform } = await this.loadContext(flags);
    return { context, platform, store: this.openStateStore() };
  }

  protected async preflight(
    session: LoadTestSessionInfo,
    scenario: string,
    flags: SizeFlags,
    options: { overrides?: PreflightOverride[]; mode?: 'local' | 'distributed' } = {},
  ): Promise<LoadTestPlan> {
    let durationSeconds: number | undefined;
    if (flags.duration !== undefined) {
      durationSeconds = Math.round(parseDuration(flags.duration) / 1000);
      if (durationSeconds < 1)
        throw new UserError(`--duration ${flags.duration} is shorter than a second.`, {
          code: 'InvalidFlag',
          exitCode: USAGE_EXIT_CODE,
        });
    }
    // the what-if model of `ballast scaling plan`, for the web group's extra instance-hours
    const changes = createChangeService({
      context: session.context,
      store: session.store,
      session: createCollectorSession(session.context, session.store, { now: Date.now }),
      platform: session.platform,
      trafficTimeoutMs: 30_000,
    });
    return planLoadTest({
      capacity: (group) => changes.engine.replayContext(group),
      platform: session.platform,
      context: session.context.name,
      store: session.store,
      scenario,
      profileFile: profilePath(scenario),
      target: flags.target,
      scale: flags.scale,
      ...(durationSeconds !== undefined ? { durationSeconds } : {}),
      ...(flags['max-vus'] !== undefined ? { maxVus: flags['max-vus'] } : {}),
      ...(options.overrides ? { overrides: options.overrides } : {}),
      ...(options.mode ? { mode: options.mode } : {}),
      now: Date.now(),
    });
  }

  protected showPreflight(plan: LoadTestPlan): void {
    if (this.jsonEnabled()) return;
    this.log(
      renderPreflight(plan, { palette: this.palette, width: this.terminal.width }).join('\n'),
    );
  }

  protected scriptOf(scenario: string): string {
    return scriptPath(scenario);
  }

  /** <stateDir>/loadtests: each run's files (options, summary export, k6 JSON output, report). */
  protected runsDir(): string {
    return `${ballastPaths().stateDir}/loadtests`;
  }
}
