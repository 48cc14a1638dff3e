import { orphanedRun, type LoadTestRun } from '@ballast/core';
import { scenarioNames } from '@ballast/loadtests';
import { Flags } from '@oclif/core';
import { LoadTestCommand, loadTestContextFlags } from '../../loadtest-command.js';
import { renderRunList } from '../../views/loadtest-view.js';

export type LoadtestListResult = { scenarios: string[]; runs: LoadTestRun[] };

export default class LoadtestList extends LoadTestCommand<LoadtestListResult> {
  public static override summary = 'The load tests run against this context, newest first.';

  public static override description = `Every recorded run of \`ballast loadtest run\` on the context: its id, scenario, status (running, passed, thresholds-failed, stopped, failed, interrupted), when it started, how long it ran, k6's exit code, requests and p95. A run whose process ended without recording its outcome is shown as interrupted. Reads only the local store: no AWS call.`;

  public static override examples = [
    { description: 'As JSON.', command: '<%= config.bin %> <%= command.id %> --json' },
  ];

  public static override flags = {
    ...loadTestContextFlags,
    limit: Flags.integer({ summary: 'At most this many runs.', default: 50, min: 1 }),
  };

  public async run(): Promise<LoadtestListResult> {
    const { flags } = await this.parse(LoadtestList);
    const session = await this.openLoadTests(flags);
    try {
      // Marks the runs whose process died as interrupted first.
      session.store.loadTests.running(session.context.name, orphanedRun(), Date.now());
      const runs = session.store.loadTests.list({
        context: session.context.name,
        limit: flags.limit,
      });
      this.log(
        renderRunList(runs, { palette: this.palette, width: this.terminal.width }).join('\n'),
      );
      return { scenarios: [...scenarioNames], runs };
    } finally {
      session.store.close();
    }
  }
}
