import { collectHealth, createCollectorSession } from '@ballast/collectors';
import {
  parseDuration,
  selectTier,
  type PlatformHealth,
  type ResolvedContext,
} from '@ballast/core';
import { Flags, ux } from '@oclif/core';
import { BallastCommand, contextFlags, timeoutFlags } from '../base-command.js';
import { sourceFailureToUserError } from '../errors.js';
import { renderHealth, renderHealthScreen, type HealthViewOptions } from '../views/health-view.js';

export type HealthResult = PlatformHealth;

/** Home the cursor and clear the screen, so each refresh replaces the previous one. */
const CLEAR_SCREEN = '\u001b[H\u001b[2J\u001b[3J';

export default class Health extends BallastCommand<HealthResult> {
  public static override summary =
    'Is the store healthy? Golden signals of every tier against its SLOs.';

  public static override description = `For each tier of the platform (edge, web, workers, data) shows its status, the reasons for it, and each golden signal (traffic, errors, latency, saturation): the current value, the SLO thresholds (degraded / critical) and a sparkline over --since. Below: alarms in ALARM, the Auto Scaling groups with their latest activity, and a footer with the context, the evaluation time and any source that could not be read (with what to do about it).

A source that fails (throttling, missing IAM permission, ...) degrades only its own part of the report; when metrics cannot be read, stored history is shown, with its age. Each collection ends within --timeout: what has not answered by then is reported as timed out. The command fails (exit 1) only when nothing could be read and there is no history, e.g. a fresh install against an unreachable endpoint.

Exit codes: 0 whenever the report was produced — also when the platform is degraded or critical: this is a report, not a check. To alert on it, read "result.status" from --json (ok, degraded, critical, unknown). 1 when there is nothing to report, 2 for invalid flags.

With --watch the report is redrawn every --interval seconds until Ctrl-C. On a terminal it replaces the previous one and fits the screen: when the full report is taller than the terminal, the verdict, failed sources and firing alarms come first, then one compact line or two per tier (current value of each signal), then what room is left allows. Through a pipe, every refresh prints the full report. With --watch --json, one JSON envelope per line (NDJSON) per refresh.

When CloudWatch alarms cannot be read, the headline says "alarms unknown" and why, never "no alarms firing"; in --json, "firingAlarms" is null. A source that failed carries in --json the time of the newest stored datapoint shown instead ("dataAsOf", epoch ms) and its age at evaluation ("ageMs").

An AWS operation that keeps failing (throttling, errors, timeouts) is retried less and less often, up to every 5 minutes: meanwhile its source is reported failed, with when the next try is, so Ballast never adds to an account's throttling. Each collection ends within --timeout; what has not answered by then is reported like a refused connection.`;

  public static override examples = [
    {
      description: 'Health of the current context over the last hour.',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Only the web tier, over the last 6 hours.',
      command: '<%= config.bin %> <%= command.id %> --tier web --since 6h',
    },
    {
      description: 'Keep it on screen during an incident, refreshing every 30 seconds.',
      command: '<%= config.bin %> <%= command.id %> --watch --interval 30',
    },
    {
      description: 'Against the local sandbox; machine-readable.',
      command: 'BALLAST_CONTEXT=sandbox <%= config.bin %> <%= command.id %> --json',
    },
    {
      description: 'Alert from a script on the overall status.',
      command: "<%= config.bin %> <%= command.id %> --json | jq -r '.result.status'",
    },
  ];

  public static override flags = {
    ...contextFlags,
    ...timeoutFlags,
    tier: Flags.string({ summary: 'Only this tier: an id from the platform config, e.g. web.' }),
    since: Flags.string({
      summary: 'How far back signals and sparklines go: 15m, 1h, 6h, 2d, ...',
      default: '1h',
    }),
    watch: Flags.boolean({
      summary: 'Refresh every --interval seconds until Ctrl-C.',
      default: false,
    }),
    interval: Flags.integer({
      summary: 'Seconds between refreshes with --watch.',
      description:
        'Each refresh reads CloudWatch (GetMetricData is billed per metric): against real AWS keep it at 15 or more.',
      default: 15,
      min: 1,
    }),
  };

  public async run(): Promise<HealthResult> {
    const { flags } = await this.parse(Health);
    const sinceMs = parseDuration(flags.since);
    const { context, platform } = await this.loadContext(flags);
    // An unknown --tier fails here, before any network call.
    selectTier(platform, flags.tier);

    const store = this.openStateStore();
    // One set of clients (and backoff state) for every refresh of this run.
    const session = createCollectorSession(context, store, { now: Date.now });
    try {
      const read = (signal?: AbortSignal) =>
        collectHealth({
          context,
          store,
          session,
          now: Date.now(),
          sinceMs,
          tier: flags.tier,
          timeoutMs: flags.timeout,
          signal,
        });
      if (flags.watch) return await this.watch(read, context, flags.interval);
      const health = await read();
      this.failIfNothingRead(health);
      this.log(this.render(health, context).join('\n'));
      return health;
    } finally {
      store.close();
    }
  }

  private async watch(
    read: (signal: AbortSignal) => Promise<PlatformHealth>,
    context: ResolvedContext,
    intervalSeconds: number,
  ): Promise<HealthResult> {
    const shutdown = this.trapShutdown();
    let last: PlatformHealth | undefined;
    try {
      do {
        // Ctrl-C during a collection cuts it short; that one is not a report.
        const health = await read(shutdown.signal);
        if (shutdown.signal.aborted && last) break;
        last = health;
        if (this.jsonEnabled()) this.logJsonLine(last);
        else {
          const status = `Refreshing every ${intervalSeconds}s · Ctrl-C to stop`;
          const { interactive, rows } = this.terminal;
          // On a terminal the screen is redrawn in place, so it must fit: verdict and firing
          // alarms first, tiers compact when short. Through a pipe, every full report.
          if (interactive && rows)
            ux.stdout(
              CLEAR_SCREEN +
                renderHealthScreen(last, { ...this.viewOptions(context), rows, status }).join('\n'),
            );
          else {
            const screen = [...this.render(last, context), this.palette.dim(status)];
            if (interactive) ux.stdout(CLEAR_SCREEN + screen.join('\n'));
            else this.log(`${screen.join('\n')}\n`);
          }
        }
        await this.pause(intervalSeconds * 1000, shutdown.signal);
      } while (!shutdown.signal.aborted);
    } finally {
      shutdown.dispose();
    }
    return last;
  }

  /**
   * When every source failed and there is no stored history to fall back on, there is no
   * report to show, only an error to act on. With history, the stale report is shown.
   */
  private failIfNothingRead(health: PlatformHealth): void {
    const failed = health.sources.filter((s) => !s.ok);
    const anyData = health.tiers.some((t) => t.signals.some((s) => s.points.length > 0));
    if (failed[0] && failed.length === health.sources.length && !anyData)
      throw sourceFailureToUserError(failed[0], this.errorContext);
  }

  private render(health: PlatformHealth, context: ResolvedContext): string[] {
    return renderHealth(health, this.viewOptions(context));
  }

  private viewOptions(context: ResolvedContext): HealthViewOptions {
    return {
      palette: this.palette,
      width: this.terminal.width,
      now: Date.now(),
      context,
      errorContext: this.errorContext,
    };
  }
}
