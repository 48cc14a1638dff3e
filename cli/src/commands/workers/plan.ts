import {
  ChangeCommand,
  changeContextFlags,
  overridesOf,
  planFileFlags,
  planOverrideFlags,
  type ChangeResult,
} from '../../change-command.js';
import { groupArg, workerChangeFlags, workersRequest } from '../../change-requests.js';

export type WorkersPlanResult = ChangeResult;

export default class WorkersPlan extends ChangeCommand<WorkersPlanResult> {
  public static override summary =
    'Plan a change of the worker fleet (bounds, backlog target, spot share, allocation strategy). Changes nothing.';

  public static override description = `Shows the diff against the live state, the Auto Scaling writes (UpdateAutoScalingGroup with the MixedInstancesPolicy's InstancesDistribution, PutScalingPolicy for the backlog target), the what-if over the last 7 days of recorded queue traffic (instance-hours, cost on-demand and spot, minutes over the tier's SLOs, peak queue age, next to what was recorded, with the backtest error) and the guardrails (spot share and on-demand base inside the platform config's bounds, min <= desired <= max, the step size). Only what a flag names changes.

With --out FILE the plan is saved; \`ballast changes apply FILE\` applies exactly that plan.`;

  public static override examples = [
    {
      description: 'More workers at most, more of them on spot.',
      command: '<%= config.bin %> <%= command.id %> store-workers --max 40 --spot-share 80',
    },
    {
      description: 'A backlog target of 20 messages per worker, saved to apply later.',
      command:
        '<%= config.bin %> <%= command.id %> store-workers --backlog-target 20 --out workers.plan',
    },
  ];

  public static override args = groupArg;

  public static override flags = {
    ...changeContextFlags,
    ...workerChangeFlags,
    ...planFileFlags,
    ...planOverrideFlags,
  };

  public async run(): Promise<WorkersPlanResult> {
    const { args, flags } = await this.parse(WorkersPlan);
    return this.planAndCarryOut(
      flags,
      (session, signal) =>
        session.service.planChange(
          workersRequest(session.platform, args.group, flags, {
            overrides: overridesOf(flags),
            signal,
            command: 'workers plan',
          }),
        ),
      'plan',
    );
  }
}
