import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  createCollectorSession,
  loadTestReport,
  renderLoadTestReportHtml,
  type LoadTestReport,
} from '@ballast/collectors';
import { Flags } from '@oclif/core';
import { timeoutFlags } from '../../base-command.js';
import { LoadTestCommand, loadTestContextFlags, runIdArg } from '../../loadtest-command.js';
import { renderReport } from '../../views/loadtest-view.js';
import { unknownRun } from './show.js';

export type LoadtestReportResult = LoadTestReport & { htmlFile?: string };

export default class LoadtestReport extends LoadTestCommand<LoadtestReportResult> {
  public static override summary =
    "A load test's report: k6 per journey step beside the platform's CloudWatch view of the same window, its cost, and the knee.";

  public static override description = `k6's results of the run (thresholds, each journey step's latency from the summary export's http_req_duration{step:...} submetrics) next to what the platform did from 5 minutes before the test to 5 minutes after it, read from CloudWatch and Auto Scaling as \`ballast health\` reads them: web capacity (instances in service), CPU, latency, 5xx, the workers' queue age, scaling activities. Then the cost of the window at list prices (the test's CloudFront traffic and load balancer units, and the instance-hours the web tier ran above where it stood when the test began), and the knee: the load at which latency or errors broke (two readings in a row over the run's own p95 and error-rate thresholds, else the web SLO).

--html writes the report as one self-contained HTML file (inline styles and SVG charts; nothing loaded from anywhere), by default next to the run's files in the state folder. A source that cannot be read is named in the report, the rest is still shown.`;

  public static override examples = [
    {
      description: 'As JSON.',
      command: '<%= config.bin %> <%= command.id %> lt-20261127-060000-a1b2 --json',
    },
    {
      description: 'As one HTML file.',
      command: '<%= config.bin %> <%= command.id %> lt-20261127-060000-a1b2 --html --out bf.html',
    },
  ];

  public static override args = runIdArg;
  public static override flags = {
    ...loadTestContextFlags,
    ...timeoutFlags,
    html: Flags.boolean({
      summary: 'Write the report as a self-contained HTML file.',
      default: false,
    }),
    out: Flags.string({
      summary: 'Where --html writes (default: <state dir>/loadtests/<run-id>/report.html).',
      dependsOn: ['html'],
    }),
  };

  public async run(): Promise<LoadtestReportResult> {
    const { args, flags } = await this.parse(LoadtestReport);
    const session = await this.openLoadTests(flags);
    try {
      const run = session.store.loadTests.get(args['run-id']);
      if (!run) throw unknownRun(args['run-id']);
      const now = Date.now();
      const report = await loadTestReport({
        context: session.context,
        store: session.store,
        run,
        platform: session.platform,
        session: createCollectorSession(session.context, session.store, { now: Date.now }),
        now,
        timeoutMs: flags.timeout,
      });
      let htmlFile: string | undefined;
      if (flags.html) {
        htmlFile = flags.out ?? join(this.runsDir(), run.id, 'report.html');
        mkdirSync(dirname(htmlFile), { recursive: true });
        writeFileSync(htmlFile, renderLoadTestReportHtml(report));
      }
      for (const u of report.platform.unavailable)
        this.warn(`Not read for the report: ${u.source}: ${u.message}`);
      this.log(
        renderReport(report, { palette: this.palette, width: this.terminal.width }).join('\n'),
      );
      if (htmlFile) this.log(`\nWrote ${htmlFile}`);
      return { ...report, ...(htmlFile ? { htmlFile } : {}) };
    } finally {
      session.store.close();
    }
  }
}
