import { Args } from '@oclif/core';
import { ChangeCommand, changeContextFlags } from '../../change-command.js';
import { renderScalingGroup, type ScalingGroupView } from '../../views/scaling-view.js';

export interface ScalingShowResult {
  groups: ScalingGroupView[];
}

export default class ScalingShow extends ChangeCommand<ScalingShowResult> {
  public static override summary =
    'Show Auto Scaling groups: bounds, purchase options, scaling policies and scheduled actions.';

  public static override description = `Without a group, every group of the platform config's web (ALB) and worker (SQS) tiers. What is shown is what a change is planned against: the live state read now (DescribeAutoScalingGroups, DescribePolicies, DescribeScheduledActions).`;

  public static override examples = [
    {
      description: 'Every scaling group of the platform.',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'The web group, machine-readable.',
      command: '<%= config.bin %> <%= command.id %> store-web --json',
    },
  ];

  public static override args = {
    group: Args.string({ description: 'Auto Scaling group name; default: every scaling group.' }),
  };

  public static override flags = { ...changeContextFlags };

  public async run(): Promise<ScalingShowResult> {
    const { args, flags } = await this.parse(ScalingShow);
    const session = await this.openChanges(flags);
    try {
      const names = args.group
        ? [args.group]
        : session.service.engine.scalingGroups().map((g) => g.group);
      const groups = await this.readGroups(session, names);
      const options = { palette: this.palette, width: this.terminal.width };
      this.log(groups.map((g) => renderScalingGroup(g, options).join('\n')).join('\n\n'));
      return { groups };
    } finally {
      session.store.close();
    }
  }
}
