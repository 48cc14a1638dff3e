import { DEFAULT_SANDBOX_PORT, DEFAULT_SANDBOX_SEED, isLoopbackHost } from '@ballast/core';
import { Flags } from '@oclif/core';
import { BallastCommand } from '../base-command.js';
import { usageError } from '../errors.js';
import { listenError } from '../net.js';

export interface SandboxResult {
  url: string;
  port: number;
  seed: number;
  speed: number;
  backfillDays: number;
}

export default class Sandbox extends BallastCommand<SandboxResult> {
  public static override summary =
    'Run the local sandbox: a simulated 3D store behind AWS-compatible APIs.';

  public static override description = `Starts a deterministic simulation of the reference platform (core/platforms/sandbox.yaml) that speaks the CloudWatch and Auto Scaling wire protocols on one port, like LocalStack. It backfills --backfill-days of history first, so every chart has data at once, then advances in real time (times --speed).

Point any ballast command at it with the built-in "sandbox" context (BALLAST_CONTEXT=sandbox, or --context sandbox), or point the AWS CLI and SDKs at it with AWS_ENDPOINT_URL and the dummy credentials test/test. Runs until Ctrl-C.

With --json, one line is printed once the sandbox listens: {"status":0,"result":{"url":...}} (useful with --port 0).`;

  public static override examples = [
    {
      description:
        'Start it on the default port, then in another terminal: BALLAST_CONTEXT=sandbox ballast health',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'A faster clock and a short history, for a demo.',
      command: '<%= config.bin %> <%= command.id %> --speed 60 --backfill-days 2',
    },
    {
      description: 'Put a Black-Friday peak three days ago into the history.',
      command: '<%= config.bin %> <%= command.id %> --black-friday 2026-11-20',
    },
    {
      description: 'Any free port; read the URL from the first line.',
      command: '<%= config.bin %> <%= command.id %> --port 0 --json',
    },
  ];

  public static override flags = {
    port: Flags.integer({
      summary: 'Port to listen on (0 = any free port).',
      default: DEFAULT_SANDBOX_PORT,
      min: 0,
      max: 65535,
    }),
    host: Flags.string({
      summary: 'Address to listen on. It has no authentication: keep it on loopback.',
      default: '127.0.0.1',
    }),
    seed: Flags.integer({
      summary: 'Seed of the simulation: the same seed replays the same traffic.',
      default: DEFAULT_SANDBOX_SEED,
    }),
    speed: Flags.string({
      summary: 'Simulated seconds per real second, e.g. 60 for a minute a second.',
      default: '1',
    }),
    'backfill-days': Flags.integer({
      summary: 'Days of history to simulate before serving.',
      default: 14,
      min: 1,
      max: 90,
    }),
    'black-friday': Flags.string({
      summary: 'Day of the Black-Friday peak (YYYY-MM-DD), or "off".',
      description:
        'By default every last Friday of November is a sale day (about 5x traffic at its height). Put one inside the backfilled history to see how the platform coped, e.g. a date a few days ago.',
    }),
  };

  public async run(): Promise<SandboxResult> {
    const { flags } = await this.parse(Sandbox);
    const speed = Number(flags.speed);
    if (!Number.isFinite(speed) || speed <= 0)
      throw usageError(
        `Invalid --speed "${flags.speed}": use a positive number such as 1, 10 or 60.`,
        this.errorContext,
      );
    if (!isLoopbackHost(flags.host))
      this.warn(
        `The sandbox has no authentication and ${flags.host} is not a loopback address: anyone who can reach it can read and change it.`,
      );

    const blackFriday = parseBlackFriday(flags['black-friday'], this.errorContext);

    // Loaded here only: nothing else in ballast depends on the sandbox.
    const { startSandbox } = await import('@ballast/sandbox');
    const options = {
      port: flags.port,
      host: flags.host,
      seed: flags.seed,
      speed,
      backfillDays: flags['backfill-days'],
      ...(blackFriday !== undefined ? { blackFriday } : {}),
    };
    this.logToStderr(this.stderrPalette.dim(`Simulating ${options.backfillDays} days of history…`));
    const sandbox = await startSandbox(options).catch(async (err: unknown) => {
      throw (await listenError(err, 'sandbox', flags.host, flags.port)) ?? err;
    });
    const result: SandboxResult = {
      url: sandbox.url,
      port: sandbox.port,
      seed: options.seed,
      speed,
      backfillDays: options.backfillDays,
    };

    const shutdown = this.trapShutdown();
    try {
      if (this.jsonEnabled()) this.logJsonLine(result);
      else this.log(this.howToUse(result).join('\n'));
      await this.untilAborted(shutdown.signal);
    } finally {
      shutdown.dispose();
      this.logToStderr(this.stderrPalette.dim('Stopping the sandbox…'));
      await sandbox.stop();
    }
    this.logToStderr('Sandbox stopped.');
    return result;
  }

  private howToUse(result: SandboxResult): string[] {
    const p = this.palette;
    // The built-in context finds a sandbox on another port through BALLAST_SANDBOX_URL.
    const env = result.port === DEFAULT_SANDBOX_PORT ? '' : `BALLAST_SANDBOX_URL=${result.url} `;
    return [
      `${p.green('●')} Sandbox listening on ${p.bold(result.url)}  ${p.dim(`(seed ${result.seed}, speed ${result.speed}×)`)}`,
      '',
      'Use it from another terminal:',
      `  ${env}BALLAST_CONTEXT=sandbox ballast health`,
      `  ${env}ballast dashboard --context sandbox`,
      `  AWS_ENDPOINT_URL=${result.url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \\`,
      `    aws cloudwatch describe-alarms --region us-east-1`,
      '',
      `Inject faults: curl -X POST ${result.url}/_sandbox/faults -H 'content-type: application/json' \\`,
      `  -d '{"rules":[{"service":"cloudwatch","operation":"*","kind":"throttle","rate":0.5}]}'`,
      '',
      p.dim('Ctrl-C to stop.'),
    ];
  }
}

function parseBlackFriday(
  value: string | undefined,
  errorContext: Parameters<typeof usageError>[1],
): { date: string } | false | undefined {
  if (value === undefined) return undefined;
  if (value === 'off') return false;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    return { date: value };
  throw usageError(
    `Invalid --black-friday "${value}": use a date such as 2026-11-20, or "off".`,
    errorContext,
  );
}
