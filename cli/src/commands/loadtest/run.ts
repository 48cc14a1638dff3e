import { readFileSync } from 'node:fs';
import {
  applyManifests,
  kubernetesName,
  runDistributedLoadTest,
  startLoadTest,
  testRunManifests,
  writeManifests,
  type K6RunResult,
  type LoadTestPlan,
  type PreflightOverride,
} from '@ballast/collectors';
import { describeExit, type LoadTestRun } from '@ballast/core';
import { Flags, ux } from '@oclif/core';
import { TerminalQuestions } from '../../change-command.js';
import { UserError } from '../../errors.js';
import {
  LoadTestCommand,
  loadTestContextFlags,
  scenarioArg,
  sizeFlags,
  type LoadTestSessionInfo,
} from '../../loadtest-command.js';
import {
  renderLive,
  renderLiveLine,
  renderOutcome,
  renderTestRunStatus,
} from '../../views/loadtest-view.js';

export interface LoadtestRunResult {
  plan: LoadTestPlan;
  /** --dry-run: the preflight only */
  dryRun: boolean;
  /** the recorded run (local runs, and distributed ones with --apply) */
  run?: LoadTestRun;
  /** how k6 ended (local runs) */
  k6?: Pick<
    K6RunResult,
    'exitCode' | 'signal' | 'status' | 'stopRequested' | 'killed' | 'files' | 'runnerCpuMs'
  >;
  /** --distributed: the manifests written, and what the cluster said */
  distributed?: {
    parallelism: number;
    name: string;
    files: string[];
    applied: boolean;
    stage?: string | null;
  };
}

/** Plain lines through a pipe: one a reading at most this often. */
const PLAIN_LINE_EVERY_MS = 5_000;

export default class LoadtestRun extends LoadTestCommand<LoadtestRunResult> {
  public static override summary =
    'Run a load test with k6 after its preflight and a confirmation, watching it live.';

  public static override description = `Prints the preflight (\`ballast loadtest plan\`), refuses what the guardrails refuse, asks for a confirmation on a terminal (--yes skips it; without a terminal and without --yes it refuses and runs nothing), then runs the scenario's bundled k6 script against --target with k6's REST API on a free loopback port, and shows VUs, request rate, p95, error rate, thresholds and bytes live: redrawn in place on a terminal, one plain line every 5 s through a pipe, nothing but the result with --json. The run, its samples and k6's summary are recorded in the store (\`ballast loadtest list|show|report\`).

Ctrl-C stops k6 gracefully (its REST API, then SIGINT, then SIGKILL after 10 s) and keeps the partial result; k6 never outlives this command, even when it is killed.

Guardrails: a platform whose config says environment: production needs --i-know-this-is-production for a target that is not loopback; a test larger than the config's loadTests limits (maxVus, maxRequestsPerSecond, maxDurationMinutes, maxBytes) needs --force; a test already running on the context blocks another (no override). k6 comes from K6_BIN, else PATH; without it the command says how to install it.

--distributed N writes a k6-operator TestRun (k6.io/v1alpha1, parallelism N) and a ConfigMap with the bundled script and its run options to --out, and with --apply (after the confirmation) records the run, applies them with kubectl, follows the TestRun's stage until it is finished or in error, then reads each runner pod's log (kubectl logs, pods labelled k6_cr=<TestRun>,runner=true) for the summary the scripts print and records the pods' results merged: counts and rates summed, medians and percentiles the worst pod's (the report says so). kubectl comes from KUBECTL, else PATH. Ctrl-C stops following (the TestRun keeps running in the cluster; the run is recorded as interrupted).

Exit codes mirror k6's, so CI can gate on them: 0 passed, 99 thresholds failed (also when an abortOnFail threshold stopped the test), 103 stopped through the REST API (Ctrl-C), 104 invalid config, 105 aborted by a signal, 107 script exception, 108 aborted by the script, 137 k6 killed; 1 refused (guardrail, not confirmed, k6 missing, target unreachable), 2 invalid flags.`;

  public static override examples = [
    {
      description: 'A 20-second smoke test against the sandbox, without questions.',
      command:
        'K6_BIN=/usr/local/bin/k6 <%= config.bin %> <%= command.id %> smoke --target http://127.0.0.1:4566/store --duration 20s --yes',
    },
    {
      description: 'The Black-Friday surge on 4 k6 pods: write the k6-operator manifests only.',
      command:
        '<%= config.bin %> <%= command.id %> black-friday --target https://shop.example.com --distributed 4 --dry-run --out k8s/',
    },
  ];

  public static override args = scenarioArg;
  public static override flags = {
    ...loadTestContextFlags,
    ...sizeFlags,
    yes: Flags.boolean({
      char: 'y',
      summary: 'Run without asking. Needed when there is no terminal to ask on.',
      default: false,
    }),
    'dry-run': Flags.boolean({
      summary: 'Print the preflight (and write --distributed manifests) and stop: nothing is sent.',
      default: false,
    }),
    force: Flags.boolean({
      summary: "Run a test larger than the platform config's loadTests limits.",
      default: false,
    }),
    'i-know-this-is-production': Flags.boolean({
      summary:
        'Send load to a target that is not loopback on a platform marked environment: production.',
      default: false,
    }),
    distributed: Flags.integer({
      summary: 'Run on this many k6 pods with the k6-operator (writes a TestRun to --out).',
      min: 1,
    }),
    out: Flags.string({
      summary: 'Folder for the --distributed manifests.',
      dependsOn: ['distributed'],
    }),
    apply: Flags.boolean({
      summary: 'With --distributed: apply the manifests with kubectl and follow the TestRun.',
      dependsOn: ['distributed'],
    }),
    namespace: Flags.string({
      summary: 'With --distributed: the Kubernetes namespace.',
      dependsOn: ['distributed'],
    }),
  };

  public async run(): Promise<LoadtestRunResult> {
    const { args, flags } = await this.parse(LoadtestRun);
    if (flags.distributed !== undefined && !flags.out)
      throw new UserError(
        '--distributed needs --out DIR: where to write the k6-operator manifests.',
        {
          code: 'InvalidFlag',
          exitCode: 2,
          actions: [`Add --out k8s/ (then apply them with --apply, or kubectl apply -f k8s/)`],
        },
      );
    const overrides: PreflightOverride[] = [
      ...(flags.force ? (['force'] as const) : []),
      ...(flags['i-know-this-is-production'] ? (['i-know-this-is-production'] as const) : []),
    ];
    const session = await this.openLoadTests(flags);
    const shutdown = this.trapShutdown();
    try {
      const plan = await this.preflight(session, args.scenario, flags, {
        overrides,
        mode: flags.distributed !== undefined ? 'distributed' : 'local',
      });
      this.showPreflight(plan);
      if (flags.distributed !== undefined)
        return await this.distributed(session, plan, flags.distributed, flags, shutdown.signal);
      if (flags['dry-run']) {
        this.log(
          `\n${this.palette.bold('Dry run')}: nothing was sent.${plan.blocking.length ? ` ${this.palette.red(`Running it would be refused by ${plan.blocking.map((c) => c.id).join(', ')}.`)}` : ''}`,
        );
        return { plan, dryRun: true };
      }
      this.refuse(plan);
      await this.confirm(`Send this load to ${plan.target}`, flags.yes, shutdown.signal);
      return await this.runLocally(session, plan, shutdown.signal);
    } finally {
      shutdown.dispose();
      session.store.close();
    }
  }

  /** Throws for the checks that refuse the run, naming the flag that overrides each. */
  private refuse(plan: LoadTestPlan): void {
    if (plan.blocking.length === 0) return;
    const k6 = plan.blocking.find((c) => c.id === 'k6');
    if (k6 && plan.blocking.length === 1)
      throw new UserError(k6.message, { code: 'K6NotFound', actions: k6.actions ?? [] });
    const overridable = plan.blocking.flatMap((c) => (c.override ? [`--${c.override}`] : []));
    throw new UserError(
      `Not run: refused by ${plan.blocking.length === 1 ? 'a check' : `${plan.blocking.length} checks`}; nothing was sent:\n${plan.blocking
        .map((c) => `  - ${c.message}${c.override ? ` (override: --${c.override})` : ''}`)
        .join('\n')}`,
      {
        code: plan.blocking.some((c) => c.id === 'running') ? 'LoadTestRunning' : 'LoadTestRefused',
        actions: [
          ...new Set(plan.blocking.flatMap((c) => c.actions ?? [])),
          ...(overridable.length && plan.blocking.every((c) => c.override)
            ? [`If you are sure, run it again with ${overridable.join(' ')}`]
            : []),
        ],
      },
    );
  }

  private async confirm(what: string, yes: boolean, signal: AbortSignal): Promise<void> {
    if (yes) return;
    if (process.stdin.isTTY !== true)
      throw new UserError(
        'Not run: there is no terminal to confirm on, and --yes was not given. Nothing was sent.',
        {
          code: 'ConfirmationRequired',
          actions: [
            'Review the preflight (add --dry-run to only see it), then run the command again with --yes.',
          ],
        },
      );
    const terminal = new TerminalQuestions(signal);
    try {
      const answer = await terminal.ask(`\n${what}? [y/N] `);
      if (answer === null)
        throw new UserError('Not run: cancelled. Nothing was sent.', {
          code: 'Cancelled',
          exitCode: 130,
        });
      if (!/^(y|yes)$/i.test(answer))
        throw new UserError('Not run: not confirmed. Nothing was sent.', { code: 'NotConfirmed' });
    } finally {
      terminal.close();
    }
  }

  private async runLocally(
    session: LoadTestSessionInfo,
    plan: LoadTestPlan,
    signal: AbortSignal,
  ): Promise<LoadtestRunResult> {
    const totalMs = (plan.estimate.durationSeconds + plan.profile.gracefulStop) * 1000;
    const started = await startLoadTest({
      store: session.store,
      context: session.context.name,
      scenario: plan.scenario,
      target: plan.target,
      tiers: [],
      runOptions: plan.runOptions,
      details: { scale: plan.scale, estimate: plan.estimate, cost: plan.cost },
      k6: plan.k6!,
      script: this.scriptOf(plan.scenario),
      runsDir: this.runsDir(),
      // k6 that runs far past its own end is stuck: stop it (setup and teardown get a margin)
      runner: { deadlineMs: totalMs * 2 + 5 * 60_000 },
    });
    const view = { palette: this.palette, width: this.terminal.width };
    if (!this.jsonEnabled())
      this.log(
        `\nStarted ${started.id} (k6 pid ${started.k6.pid}, REST API ${started.k6.apiUrl}).`,
      );
    const onAbort = () => void started.k6.stop('Ctrl-C');
    signal.addEventListener('abort', onAbort, { once: true });
    let drawn = 0;
    let lastLine = 0;
    const unsubscribe = started.k6.subscribe((event) => {
      if (this.jsonEnabled()) return;
      if (event.type === 'stopping') {
        if (drawn === 0) this.log(`Stopping k6 (${event.reason}), keeping the result so far…`);
        return;
      }
      if (event.type !== 'sample') return;
      if (this.terminal.interactive) {
        const block = renderLive(
          plan.scenario,
          plan.target,
          started.k6.samples,
          event.sample.t - started.k6.startedAt,
          totalMs,
          view,
        );
        ux.stdout(`${drawn ? `\u001b[${drawn}F\u001b[J` : ''}${block.join('\n')}`);
        drawn = block.length;
      } else if (event.sample.t - lastLine >= PLAIN_LINE_EVERY_MS || lastLine === 0) {
        lastLine = event.sample.t;
        this.log(renderLiveLine(event.sample, started.k6.startedAt));
      }
    });
    const { run, result } = await started.done.finally(() => {
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
    });
    if (!this.jsonEnabled()) this.log(`\n${renderOutcome(run, view).join('\n')}`);
    const outcome: LoadtestRunResult = {
      plan,
      dryRun: false,
      run,
      k6: {
        exitCode: result.exitCode,
        signal: result.signal,
        status: result.status,
        stopRequested: result.stopRequested,
        killed: result.killed,
        files: result.files,
        runnerCpuMs: result.runnerCpuMs,
      },
    };
    if (result.runnerExitCode !== 0)
      throw new UserError(
        `Load test ${run.id} ${run.status === 'thresholds-failed' ? 'failed its thresholds' : run.status === 'stopped' ? 'was stopped' : 'failed'}: k6 exited ${describeExit(result.exitCode)}${result.signal ? ` (${result.signal})` : ''}.`,
        {
          code:
            run.status === 'thresholds-failed'
              ? 'ThresholdsFailed'
              : run.status === 'stopped'
                ? 'LoadTestStopped'
                : 'K6Failed',
          exitCode: result.runnerExitCode,
          actions: [
            `ballast loadtest report ${run.id}`,
            ...(run.status === 'failed' ? [`k6's files: ${started.workDir}`] : []),
          ],
        },
      );
    return outcome;
  }

  private async distributed(
    session: LoadTestSessionInfo,
    plan: LoadTestPlan,
    parallelism: number,
    flags: {
      out?: string | undefined;
      apply: boolean;
      yes: boolean;
      'dry-run': boolean;
      namespace?: string | undefined;
    },
    signal: AbortSignal,
  ): Promise<LoadtestRunResult> {
    const name = kubernetesName(
      `ballast-${plan.scenario}-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`,
    );
    const manifests = testRunManifests({
      name,
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
      parallelism,
      scenario: plan.scenario,
      script: readFileSync(this.scriptOf(plan.scenario), 'utf8'),
      runOptions: plan.runOptions,
      target: plan.target,
      labels: { 'ballast/context': kubernetesName(session.context.name) },
    });
    const files = writeManifests(flags.out!, manifests);
    this.log(
      `\nWrote the k6-operator manifests (TestRun ${name}, parallelism ${parallelism}):\n${files.map((f) => `  ${f}`).join('\n')}`,
    );
    const view = { palette: this.palette, width: this.terminal.width };
    const result = (applied: boolean, stage?: string | null): LoadtestRunResult => ({
      plan,
      dryRun: !applied,
      distributed: { parallelism, name, files, applied, ...(stage !== undefined ? { stage } : {}) },
    });
    if (flags['dry-run'] || !flags.apply) {
      this.log(
        `${this.palette.bold(flags['dry-run'] ? 'Dry run' : 'Not applied')}: apply them with --apply, or: kubectl apply -f ${flags.out}`,
      );
      return result(false);
    }
    this.refuse(plan);
    await this.confirm(
      `Apply TestRun ${name} (${parallelism} k6 pods) against ${plan.target}`,
      flags.yes,
      signal,
    );
    const totalMs = (plan.estimate.durationSeconds + plan.profile.gracefulStop) * 1000;
    const outcome = await runDistributedLoadTest({
      store: session.store,
      context: session.context.name,
      scenario: plan.scenario,
      target: plan.target,
      name,
      namespace: flags.namespace,
      parallelism,
      runOptions: plan.runOptions,
      details: { scale: plan.scale, estimate: plan.estimate, cost: plan.cost },
      apply: async () => this.log((await applyManifests(flags.out!)).trim()),
      // pods are scheduled and images pulled before k6 starts: a wide margin past its end
      deadlineMs: totalMs * 2 + 15 * 60_000,
      signal,
      onStatus: (status) => this.log(renderTestRunStatus(name, status)),
    });
    const { run } = outcome;
    if (!this.jsonEnabled()) this.log(`\n${renderOutcome(run, view).join('\n')}`);
    const done: LoadtestRunResult = {
      ...result(true, outcome.stage),
      run,
    };
    const where = `${name}${flags.namespace ? ` -n ${flags.namespace}` : ''}`;
    if (outcome.exitCode !== 0)
      throw new UserError(
        outcome.ended === 'aborted' || outcome.ended === 'deadline'
          ? `Stopped following TestRun ${name} (${outcome.ended === 'aborted' ? 'Ctrl-C' : 'past its expected end'}); it may still run in the cluster, and load test ${run.id} is recorded as interrupted.`
          : `Load test ${run.id} ${run.status === 'thresholds-failed' ? 'failed its thresholds' : 'failed'} (TestRun ${name}, stage ${outcome.stage ?? 'none'}).`,
        {
          code:
            run.status === 'thresholds-failed'
              ? 'ThresholdsFailed'
              : run.status === 'interrupted'
                ? 'LoadTestStopped'
                : 'K6Failed',
          exitCode: outcome.exitCode,
          actions: [
            ...(run.status === 'interrupted'
              ? [`Delete it if it should stop: kubectl delete testrun ${where}`]
              : [`ballast loadtest report ${run.id}`]),
            ...(run.status === 'failed'
              ? [`kubectl describe testrun ${where}`, `kubectl logs -l k6_cr=${name},runner=true`]
              : []),
          ],
        },
      );
    return done;
  }
}
