import { collectAlarms } from '@ballast/collectors';
import {
  alarmStanding,
  AlarmStateSchema,
  type Alarm,
  type AlarmStanding,
  type AlarmState,
  type SourceStatus,
} from '@ballast/core';
import { Flags } from '@oclif/core';
import { BallastCommand, contextFlags, timeoutFlags } from '../base-command.js';
import { sourceFailureToUserError } from '../errors.js';
import { renderAlarms } from '../views/alarms-view.js';

export interface AlarmsResult {
  /**
   * `standing` is what the state means, as `ballast health` reads it: firing, scaling (a
   * target-tracking alarm in ALARM), no-data or ok.
   */
  alarms: (Alarm & { standing: AlarmStanding })[];
  source: SourceStatus;
}

const STATES = AlarmStateSchema.options;

/** ALARM, alarm, Alarm, insufficient-data, no-data...: CloudWatch's state names in any case. */
export function parseAlarmState(input: string): AlarmState {
  const name = input.trim().toUpperCase().replace(/[- ]/g, '_');
  const state = name === 'NO_DATA' ? 'INSUFFICIENT_DATA' : name;
  const parsed = AlarmStateSchema.safeParse(state);
  if (!parsed.success)
    throw new Error(
      `"${input}" is not an alarm state: use one of ${STATES.join(', ')} (any case).`,
    );
  return parsed.data;
}

export default class Alarms extends BallastCommand<AlarmsResult> {
  public static override summary =
    'List CloudWatch alarms of the platform: state, metric, threshold and why.';

  public static override description = `Alarms are shown firing first (ALARM), then INSUFFICIENT_DATA ("NO DATA"), then the target-tracking alarms of Auto Scaling that are in ALARM ("SCALE OUT", "SCALE IN": they make the group scale, and \`ballast health\` counts them as scaling signals, not problems), then OK; within each, the most recent state change first. Under a firing alarm, dimmed, is CloudWatch's reason for its state. The tier column says which tier of the platform config the alarm's metric belongs to; the metric column shows the expression of a metric-math alarm (its metrics beneath), and the threshold carries its unit.

Long names and metrics wrap onto more lines rather than being cut; through a pipe the width is $COLUMNS, else 100.

Exit codes: 0 when the alarms could be read (also when some are firing), 1 when they could not (also when the endpoint did not answer within --timeout), 2 for invalid flags.`;

  public static override examples = [
    {
      description: 'All alarms of the current context.',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Only the firing ones.',
      command: '<%= config.bin %> <%= command.id %> --state alarm',
    },
    {
      description: 'Names of firing alarms, for a script.',
      command:
        '<%= config.bin %> <%= command.id %> --state ALARM --json | jq -r \'.result.alarms[] | select(.standing == "firing") | .name\'',
    },
  ];

  public static override flags = {
    ...contextFlags,
    ...timeoutFlags,
    state: Flags.custom<AlarmState>({
      summary: `Only alarms in this state: ${STATES.join(', ')} (any case).`,
      helpValue: STATES.join('|'),
      parse: async (input) => parseAlarmState(input),
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
      return { alarms: alarms.map((a) => ({ ...a, standing: alarmStanding(a) })), source };
    } finally {
      store.close();
    }
  }
}
