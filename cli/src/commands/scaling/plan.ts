import {
  ChangeCommand,
  changeContextFlags,
  overridesOf,
  planFileFlags,
  planOverrideFlags,
  type ChangeResult,
} from '../../change-command.js';
import { groupArg, scalingChangeFlags, scalingRequest } from '../../change-requests.js';

export type ScalingPlanResult = ChangeResult;

export default class ScalingPlan extends ChangeCommand<ScalingPlanResult> {
  public static override summary =
    "Plan a change of a group's scaling policy or capacity: the diff, its what-if effect, the guardrails. Changes nothing.";

  public static override description = `Reads the group's live state, shows what would change (a readable diff and the Auto Scaling writes), and replays the last 7 days of recorded traffic through the candidate configuration and the current one: instance-hours, cost on-demand and spot, minutes over each SLO of the tier, peak instances, scaling activities, next to what was recorded, with the backtest error (how far the replay of the current configuration lands from what happened). Then the guardrails, each passing or refusing with the flag that overrides it where one may.

With --out FILE the plan is saved, like terraform plan -out: \`ballast changes apply FILE\` applies exactly that plan, and refuses if the live state moved since it was made.

Exit codes: 0 when the plan was made (also when a guardrail would refuse it: --json has "blocking"), 1 when it could not be, 2 for invalid flags.`;

  public static override examples = [
    {
      description: 'What a CPU target of 50% would do (diff + what-if effect), machine-readable.',
      command: '<%= config.bin %> <%= command.id %> store-web --target-cpu 50 --json',
    },
    {
      description: 'A saved plan, like terraform; apply it later.',
      command: '<%= config.bin %> <%= command.id %> store-web --target-cpu 50 --out web.plan',
    },
    {
      description: 'Raise the bounds of a group.',
      command: '<%= config.bin %> <%= command.id %> store-web --min 4 --max 30',
    },
  ];

  public static override args = groupArg;

  public static override flags = {
    ...changeContextFlags,
    ...scalingChangeFlags,
    ...planFileFlags,
    ...planOverrideFlags,
  };

  public async run(): Promise<ScalingPlanResult> {
    const { args, flags } = await this.parse(ScalingPlan);
    return this.planAndCarryOut(
      flags,
      (session, signal) =>
        session.service.planChange(
          scalingRequest(session.platform, args.group, flags, {
            overrides: overridesOf(flags),
            signal,
            command: 'scaling plan',
          }),
        ),
      'plan',
    );
  }
}
