import type { LoadTestPlan } from '@ballast/collectors';
import {
  LoadTestCommand,
  loadTestContextFlags,
  scenarioArg,
  sizeFlags,
} from '../../loadtest-command.js';

export type LoadtestPlanResult = LoadTestPlan;

export default class LoadtestPlan extends LoadTestCommand<LoadtestPlanResult> {
  public static override summary =
    'The preflight of a load test: what it will send and cost, k6, the target, the guardrails.';

  public static override description = `Scales the scenario's load profile (--scale, --duration, --max-vus) and prints what the test will send (sessions, requests, bytes, peak request rate and VUs), its estimated AWS cost at list prices (CloudFront egress and requests, load balancer capacity units, and the web group's extra instance-hours from the what-if model of \`ballast scaling plan\`: its current scaling policy replayed over its recent recorded traffic with and without the test's requests; where the group cannot be read, the plan says why), whether k6 is installed (K6_BIN, else PATH) and which version, whether the target answers, the thresholds generated from the platform's SLOs, and the guardrails that would stop \`ballast loadtest run\`: a production platform and a target that is not loopback (--i-know-this-is-production), a test larger than the platform config's loadTests limits (--force), a test already running (no override).

Nothing is sent but one request to the target's /health. Exit codes: 0 (also when a check fails: the plan says so), 1 when the profile or the context cannot be read, 2 for invalid flags.`;

  public static override examples = [
    {
      description: 'The Black-Friday surge at a hundredth of its size, against the sandbox.',
      command:
        '<%= config.bin %> <%= command.id %> black-friday --target http://127.0.0.1:4566/store --scale 0.01 --json',
    },
    {
      description: 'A 5-minute smoke test.',
      command:
        '<%= config.bin %> <%= command.id %> smoke --target http://127.0.0.1:4566/store --duration 5m',
    },
  ];

  public static override args = scenarioArg;
  public static override flags = { ...loadTestContextFlags, ...sizeFlags };

  public async run(): Promise<LoadtestPlanResult> {
    const { args, flags } = await this.parse(LoadtestPlan);
    const session = await this.openLoadTests(flags);
    try {
      const plan = await this.preflight(session, args.scenario, flags);
      this.showPreflight(plan);
      return plan;
    } finally {
      session.store.close();
    }
  }
}
