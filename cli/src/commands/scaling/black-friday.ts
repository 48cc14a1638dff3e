import { saleWindow, type BlackFridaySchedule } from '@ballast/core';
import { formatTimestamp } from '@ballast/core/format';
import { Flags } from '@oclif/core';
import {
  applyFlags,
  ChangeCommand,
  changeContextFlags,
  overridesOf,
  type PlannedChange,
} from '../../change-command.js';
import { parsePeak } from '../../change-requests.js';
import { renderTable } from '../../output/table.js';
import { wrap } from '../../output/text.js';

export interface ScalingBlackFridayResult {
  sale: { date: string; peakMultiple: number; opens: number; closes: number; timeZone: string };
  dryRun: boolean;
  groups: (PlannedChange & { schedule: Omit<BlackFridaySchedule, 'effect'> })[];
}

export default class ScalingBlackFriday extends ChangeCommand<ScalingBlackFridayResult> {
  public static override summary =
    'Plan pre-scaling schedules for a sale day: warm before the doors open, hold the peak, ramp down, restore.';

  public static override description = `For each web and worker group of the platform (or --group), from the recorded traffic's shape: the sale's traffic is the median recorded day, minute by minute, times --peak while the doors are open. Each group gets scheduled actions: warm (min and max raised ahead of the opening by boot + warm-up + a margin), hold (min at the peak's need before the busiest stretch), ramp down an hour a step after it, and restore (the bounds of today). Each group's plan carries the replay of the sale day with and without the schedule: instance-hours, cost on-demand and spot, minutes over each SLO, peak queue age.

The schedules are ordinary scheduled-actions changes: shown, guarded, confirmed (once for all groups; --yes and --reason skip the questions), applied, recorded, and each revertible with \`ballast changes revert\`. --dry-run stops after the plans.`;

  public static override examples = [
    {
      description: 'What an 8x Black Friday needs, and what it would cost, without applying it.',
      command: '<%= config.bin %> <%= command.id %> --date 2026-11-27 --peak 8x --dry-run',
    },
    {
      description: 'Doors open at 06:00 in New York; apply the schedules.',
      command:
        '<%= config.bin %> <%= command.id %> --date 2027-11-26 --opens-at 06:00 --time-zone America/New_York --peak 8x --yes --reason "Black Friday"',
    },
  ];

  public static override flags = {
    ...changeContextFlags,
    date: Flags.string({ summary: 'The sale day, YYYY-MM-DD (in --time-zone).', required: true }),
    peak: Flags.custom<number>({
      summary: "The sale's traffic over an ordinary day's: 8x, 5, 2.5x.",
      required: true,
      parse: async (input) => parsePeak(input),
    })(),
    'opens-at': Flags.string({ summary: 'When the doors open on --date, HH:MM (default 00:00).' }),
    hours: Flags.integer({
      summary: 'How long the sale lasts, in hours (default 24).',
      min: 1,
      max: 168,
    }),
    'time-zone': Flags.string({
      summary: 'IANA time zone of --date and --opens-at (default UTC).',
    }),
    group: Flags.string({
      summary: 'Only this group (repeat for more); default: every web and worker group.',
      multiple: true,
    }),
    ...applyFlags,
  };

  public async run(): Promise<ScalingBlackFridayResult> {
    const { flags } = await this.parse(ScalingBlackFriday);
    const options = {
      date: flags.date,
      peakMultiple: flags.peak,
      ...(flags['time-zone'] ? { timeZone: flags['time-zone'] } : {}),
      ...(flags['opens-at'] ? { opensAt: flags['opens-at'] } : {}),
      ...(flags.hours ? { durationHours: flags.hours } : {}),
    };
    // A date or time zone that cannot be read fails before any AWS call.
    const window = saleWindow(options);
    const session = await this.openChanges(flags);
    const shutdown = this.trapShutdown();
    try {
      const overrides = overridesOf(flags);
      const planned = await session.service.planBlackFriday({
        ...options,
        ...(flags.group ? { groups: flags.group } : {}),
        overrides,
        signal: shutdown.signal,
      });
      const groups = planned.map(({ schedule, plan }) => {
        const { effect: _effect, ...rest } = schedule;
        return { schedule: rest, plan, blocking: session.service.engine.blocking(plan, overrides) };
      });
      const p = this.palette;
      const width = this.terminal.width;
      if (!this.jsonEnabled()) {
        this.log(
          [
            p.bold(`Black Friday ${flags.date}: ${flags.peak}x an ordinary day`),
            p.dim(
              `Doors open ${formatTimestamp(window.opens)}, close ${formatTimestamp(window.closes)}.`,
            ),
          ].join('\n'),
        );
        for (const [i, g] of groups.entries()) {
          const schedule = planned[i]!.schedule;
          this.log(
            `\n${p.bold(`── ${schedule.group} (${schedule.kind}) `.padEnd(Math.min(width, 80), '─'))}`,
          );
          this.log(schedule.reasoning.flatMap((r) => wrap(r, width, '')).join('\n'));
          this.log('');
          const table = renderTable(
            [
              { header: 'action', shrink: true, minWidth: 12 },
              { header: 'at' },
              { header: 'min', align: 'right' },
              { header: 'max', align: 'right' },
            ],
            schedule.actions.map((a) => [
              a.name,
              a.startTime !== undefined ? formatTimestamp(a.startTime) : '—',
              a.min === undefined ? '-' : String(a.min),
              a.max === undefined ? '-' : String(a.max),
            ]),
            { width, indent: 2, header: p.dim },
          );
          this.showPlan(g.plan, g.blocking, table);
        }
      }
      const all = groups.map((g) => g.plan);
      const blocking = groups.flatMap((g) => g.blocking);
      const sale = {
        date: flags.date,
        peakMultiple: flags.peak,
        opens: window.opens,
        closes: window.closes,
        timeZone: flags['time-zone'] ?? 'UTC',
      };
      if (flags['dry-run']) {
        this.log(`\n${this.planOnlyFooter(blocking, 'Dry run')}`);
        return { sale, dryRun: true, groups };
      }
      const applied = await this.confirmAndApply(session, all, flags, shutdown.signal);
      return {
        sale,
        dryRun: false,
        groups: groups.map((g, i) => ({ ...g, ...(applied[i] ? { applied: applied[i] } : {}) })),
      };
    } finally {
      shutdown.dispose();
      session.store.close();
    }
  }
}
