import { Flags } from '@oclif/core';
import { BallastCommand, contextFlags, timeoutFlags } from '../base-command.js';
import { UserError } from '../errors.js';
import { listenError } from '../net.js';

export interface DashboardResult {
  url: string;
  context: string;
  endpointUrl?: string;
  refreshSeconds: number;
}

export default class Dashboard extends BallastCommand<DashboardResult> {
  public static override summary = 'Serve the web dashboard for a context on this machine.';

  public static override description = `Serves the health dashboard (live golden signals per tier, alarms, Auto Scaling) for one context until Ctrl-C. It listens on 127.0.0.1 by default. Listening on any other address needs a token (--token or BALLAST_DASHBOARD_TOKEN) that every browser must present; prefer an SSH tunnel to the loopback address.

Each collection behind a page or the live feed ends within --timeout; a source that has not answered by then is shown as timed out, with its stored history. An AWS operation that keeps failing is retried less and less often (up to every 5 minutes), and the page says when the next try is.

With --json, one line is printed once it listens: {"status":0,"result":{"url":...}}.`;

  public static override examples = [
    {
      description: 'Dashboard of the current context at http://127.0.0.1:7300/.',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Of the local sandbox.',
      command: '<%= config.bin %> <%= command.id %> --context sandbox',
    },
    {
      description: 'Reachable from the LAN, protected by a token.',
      command:
        'BALLAST_DASHBOARD_TOKEN=$(openssl rand -hex 16) <%= config.bin %> <%= command.id %> --host 0.0.0.0',
    },
  ];

  public static override flags = {
    ...contextFlags,
    ...timeoutFlags,
    port: Flags.integer({
      summary: 'Port to listen on (0 = any free port).',
      default: 7300,
      min: 0,
      max: 65535,
    }),
    host: Flags.string({
      summary: 'Address to listen on; anything but loopback needs --token.',
      default: '127.0.0.1',
    }),
    token: Flags.string({
      summary: 'Secret that browsers must present; required off loopback.',
      env: 'BALLAST_DASHBOARD_TOKEN',
    }),
    refresh: Flags.integer({
      summary: 'Seconds between live updates in the browser.',
      default: 15,
      min: 1,
    }),
  };

  public async run(): Promise<DashboardResult> {
    const { flags } = await this.parse(Dashboard);
    const { context } = await this.loadContext(flags);
    const store = this.openStateStore();
    try {
      // Loaded here only, so other commands start without the web server's dependencies.
      const { startDashboard } = await import('@ballast/dashboard');
      const dashboard = await startDashboard({
        port: flags.port,
        host: flags.host,
        context,
        store,
        token: flags.token,
        refreshSeconds: flags.refresh,
        timeoutMs: flags.timeout,
      }).catch((err: unknown) => {
        throw this.startError(err, flags.host, flags.port);
      });
      const result: DashboardResult = {
        url: dashboard.url,
        context: context.name,
        ...(context.endpointUrl ? { endpointUrl: context.endpointUrl } : {}),
        refreshSeconds: flags.refresh,
      };
      const shutdown = this.trapShutdown();
      try {
        if (this.jsonEnabled()) this.logJsonLine(result);
        else {
          const p = this.palette;
          // The sign-in URL carries the token: only show it on the user's own terminal.
          const open = flags.token && this.terminal.interactive ? dashboard.openUrl : dashboard.url;
          this.log(
            `${p.green('●')} Dashboard for context ${p.bold(context.name)} on ${p.bold(open)}`,
          );
          this.log(
            p.dim(
              `  reading ${context.endpointUrl ?? `AWS ${context.region}`} · live updates every ${flags.refresh}s · Ctrl-C to stop`,
            ),
          );
        }
        await this.untilAborted(shutdown.signal);
      } finally {
        shutdown.dispose();
        this.logToStderr(this.stderrPalette.dim('Stopping the dashboard…'));
        await dashboard.close();
      }
      return result;
    } finally {
      store.close();
    }
  }

  /** startDashboard throws plain Errors; turn the ones the user can fix into UserErrors with actions. */
  private startError(err: unknown, host: string, port: number): unknown {
    const fromListen = listenError(err, 'dashboard', host, port);
    if (fromListen) return fromListen;
    if ((err as NodeJS.ErrnoException | undefined)?.code === 'TokenRequired')
      return new UserError((err as Error).message, {
        code: 'TokenRequired',
        cause: err,
        actions: [
          'Keep it on loopback: --host 127.0.0.1 (and reach it with ssh -L 7300:127.0.0.1:7300 HOST)',
          'Or protect it: --token SECRET (or BALLAST_DASHBOARD_TOKEN)',
        ],
      });
    return err;
  }
}
