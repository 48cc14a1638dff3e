import { collectAlarms } from '@ballast/collectors';
import { AlarmStateSchema, type Alarm, type SourceStatus } from '@ballast/core';
import { Flags } from '@oclif/core';
import { BallastCommand, contextFlags, timeoutFlags } from '../base-command.js';
import { sourceFailureToUserError } from '../errors.js';
import { renderAlarms } from '../views/alarms-view.js';

export interface AlarmsResult {
  alarms: Alarm[];
  source: SourceStatus;
}

export default class Alarms extends BallastCommand<AlarmsResult> {
  public static override summary =
    'List CloudWatch alarms of the platform: state, metric, threshold and why.';

  public static override description = `Alarms are shown firing first (ALARM), then INSUFFICIENT_DATA ("NO DATA"), then OK; within each state, the most recent state change first. Under each alarm, dimmed, is CloudWatch's reason for its state. The tier column says which tier of the platform config the alarm's metric belongs to.

Exit codes: 0 when the alarms could be read (also when some are firing), 1 when they could not (also when the endpoint did not answer within --timeout), 2 for invalid flags.`;

  public static override examples = [
    {
      description: 'All alarms of the current context.',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Only the firing ones.',
      command: '<%= config.bin %> <%= command.id %> --state ALARM',
    },
    {
      description: 'Names of firing alarms, for a script.',
      command:
        "<%= config.bin %> <%= command.id %> --state ALARM --json | jq -r '.result.alarms[].name'",
    },
  ];

  public static override flags = {
    ...contextFlags,
    ...timeoutFlags,
    state: Flags.option({
      summary: 'Only alarms in this state.',
      options: AlarmStateSchema.options,
    })(),
  };

  public async run(): Promise<AlarmsResult> {
    const { flags } = await this.parse(Alarms);
    const { context } = await this.loadContext(flags);
    const store = this.openStateStore();
    try {
      const { alarms, source } = await collectAlarms({
        context,
        store,
        now: Date.now(),
        state: flags.state,
        timeoutMs: flags.timeout,
      });
      // collectAlarms has no cache to fall back on: a failed read means nothing to show.
      if (!source.ok) throw sourceFailureToUserError(source, this.errorContext);
      this.log(
        renderAlarms(alarms, {
          palette: this.palette,
          width: this.terminal.width,
          now: Date.now(),
        }).join('\n'),
      );
      return { alarms, source };
    } finally {
      store.close();
    }
  }
}
