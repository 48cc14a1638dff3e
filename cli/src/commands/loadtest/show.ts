import { k6Results, kneeLimitsOf, type LoadTestReport } from '@ballast/collectors';
import { orphanedRun, type LoadSample, type LoadTestRun } from '@ballast/core';
import { UserError } from '../../errors.js';
import { LoadTestCommand, loadTestContextFlags, runIdArg } from '../../loadtest-command.js';
import { renderOutcome, renderSteps } from '../../views/loadtest-view.js';

export type LoadtestShowResult = { run: LoadTestRun; samples: LoadSample[] } & Pick<
  LoadTestReport,
  'steps' | 'knee' | 'thresholds' | 'overall'
>;

export default class LoadtestShow extends LoadTestCommand<LoadtestShowResult> {
  public static override summary =
    "One load test: how it ended, k6's figures per journey step, the knee.";

  public static override description = `From the local store only (no AWS call): the run's scenario, target, status and k6 exit code, its requests, latency and errors, every threshold, the journey steps, and the knee (the load at which latency or errors broke, from the samples read while it ran). For the platform's side of the same window, use \`ballast loadtest report\`.`;

  public static override examples = [
    {
      description: 'One run, from the store.',
      command: '<%= config.bin %> <%= command.id %> lt-20261127-060000-a1b2',
    },
  ];

  public static override args = runIdArg;
  public static override flags = { ...loadTestContextFlags };

  public async run(): Promise<LoadtestShowResult> {
    const { args, flags } = await this.parse(LoadtestShow);
    const session = await this.openLoadTests(flags);
    try {
      session.store.loadTests.running(session.context.name, orphanedRun(), Date.now());
      const run = session.store.loadTests.get(args['run-id']);
      if (!run) throw unknownRun(args['run-id']);
      const samples = session.store.loadTests.samples(run.id);
      const k6 = k6Results(run, samples, kneeLimitsOf(run, session.platform));
      const view = { palette: this.palette, width: this.terminal.width };
      this.log([...renderOutcome(run, view), '', ...renderSteps(k6, view)].join('\n'));
      return {
        run,
        samples,
        steps: k6.steps,
        knee: k6.knee,
        thresholds: k6.thresholds,
        overall: k6.overall,
      };
    } finally {
      session.store.close();
    }
  }
}

export function unknownRun(id: string): UserError {
  return new UserError(`No load test ${id} in this context's store.`, {
    code: 'UnknownLoadTest',
    actions: ['See the recorded runs with: ballast loadtest list'],
  });
}
