import { Args } from '@oclif/core';
import { ChangeCommand, changeContextFlags } from '../../change-command.js';
import { renderScalingGroup, type ScalingGroupView } from '../../views/scaling-view.js';

export interface WorkersShowResult {
  groups: ScalingGroupView[];
}

export default class WorkersShow extends ChangeCommand<WorkersShowResult> {
  public static override summary =
    'Show the worker fleet: count bounds, backlog target, spot share and allocation strategy.';

  public static override description = `Without a group, the groups of the platform config's worker tiers (those with an SQS queue). The backlog policy is the target-tracking policy on visible messages per worker in service.`;

  public static override examples = [
    {
      description: 'The worker fleet of the platform.',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'One group, machine-readable.',
      command: '<%= config.bin %> <%= command.id %> store-workers --json',
    },
  ];

  public static override args = {
    group: Args.string({
      description: 'Auto Scaling group name; default: the worker tiers’ groups.',
    }),
  };

  public static override flags = { ...changeContextFlags };

  public async run(): Promise<WorkersShowResult> {
    const { args, flags } = await this.parse(WorkersShow);
    const session = await this.openChanges(flags);
    try {
      const names = args.group
        ? [args.group]
        : session.service.engine
            .scalingGroups()
            .filter((g) => g.kind === 'worker')
            .map((g) => g.group);
      const groups = await this.readGroups(session, names);
      const options = { palette: this.palette, width: this.terminal.width };
      this.log(groups.map((g) => renderScalingGroup(g, options).join('\n')).join('\n\n'));
      return { groups };
    } finally {
      session.store.close();
    }
  }
}
