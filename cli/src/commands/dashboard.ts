import { DEFAULT_DASHBOARD_PORT } from '@ballast/core';
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

  public static override description = `Serves the dashboard (health, spend, scaling, workers, changes) for one context until Ctrl-C. It listens on 127.0.0.1 by default, where whoever reaches it is an operator named after the local user.

Listening on any other address needs authentication, set in the environment (never on the command line, where \`ps\` shows it to every user of the machine, nor in an address):
- BALLAST_DASHBOARD_TOKEN: one operator token
- BALLAST_DASHBOARD_TOKENS_FILE: "<viewer|operator> <name> <token>" lines
- BALLAST_DASHBOARD_VIEWER_TOKEN: one viewer token
- BALLAST_DASHBOARD_PROXY_HEADER: the user header of a signing-in proxy
- BALLAST_DASHBOARD_OPERATORS: with the proxy header, the operators' names

A viewer sees every page; an operator may also apply and revert changes, recorded under their name. Browsers sign in with their token on the dashboard's first page (a form; the browser keeps an HttpOnly cookie); scripts send "Authorization: Bearer <token>". Changes also need the page's own Origin and its CSRF token. Prefer an SSH tunnel to the loopback address.

Each collection behind a page or the live feed ends within --timeout; a source that has not answered by then is shown as timed out, with its stored history. An AWS operation that keeps failing is retried less and less often (up to every 5 minutes), and the page says when the next try is.

With --json, one line is printed once it listens: {"status":0,"result":{"url":...}}.`;

  public static override examples = [
    {
      description: `Dashboard of the current context at http://127.0.0.1:${DEFAULT_DASHBOARD_PORT}/.`,
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Of the local sandbox.',
      command: '<%= config.bin %> <%= command.id %> --context sandbox',
    },
    {
      description: 'Operators and viewers from a tokens file (the names go into the audit).',
      command:
        'BALLAST_DASHBOARD_TOKENS_FILE=/etc/ballast/tokens <%= config.bin %> <%= command.id %> --host 0.0.0.0',
    },
    {
      description: 'Reachable from the LAN, protected by an operator token.',
      command:
        'BALLAST_DASHBOARD_TOKEN=$(openssl rand -hex 16) <%= config.bin %> <%= command.id %> --host 0.0.0.0',
    },
  ];

  public static override flags = {
    ...contextFlags,
    ...timeoutFlags,
    port: Flags.integer({
      summary: 'Port to listen on (0 = any free port).',
      default: DEFAULT_DASHBOARD_PORT,
      min: 0,
      max: 65535,
    }),
    host: Flags.string({
      summary: 'Address to listen on; anything but loopback needs authentication (see below).',
      default: '127.0.0.1',
    }),
    token: Flags.string({
      summary:
        'Secret that browsers must present; required off loopback. Prefer BALLAST_DASHBOARD_TOKEN.',
      description:
        'Set it in the environment, BALLAST_DASHBOARD_TOKEN, rather than with this flag: a command line is visible to every user of the machine in `ps`.',
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
    if (this.argv.some((arg) => arg === '--token' || arg.startsWith('--token=')))
      this.warn(
        'The --token value is visible to every user of this machine (ps, /proc); set BALLAST_DASHBOARD_TOKEN in the environment instead.',
      );
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
      }).catch(async (err: unknown) => {
        throw await this.startError(err, flags.host, flags.port);
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
          this.log(
            `${p.green('●')} Dashboard for context ${p.bold(context.name)} on ${p.bold(dashboard.url)}`,
          );
          if (dashboard.signIn)
            this.log(
              p.dim(
                '  browsers sign in with a token on the first page; scripts send Authorization: Bearer <token>',
              ),
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
  private async startError(err: unknown, host: string, port: number): Promise<unknown> {
    const fromListen = await listenError(err, 'dashboard', host, port);
    if (fromListen) return fromListen;
    if ((err as NodeJS.ErrnoException | undefined)?.code === 'TokenRequired')
      return new UserError((err as Error).message, {
        code: 'TokenRequired',
        cause: err,
        actions: [
          `Keep it on loopback: --host 127.0.0.1 (and reach it with ssh -L ${port || DEFAULT_DASHBOARD_PORT}:127.0.0.1:${port || DEFAULT_DASHBOARD_PORT} HOST)`,
          'Or protect it with a token in the environment: BALLAST_DASHBOARD_TOKEN=$(openssl rand -hex 16) ballast dashboard --host HOST',
        ],
      });
    return err;
  }
}
