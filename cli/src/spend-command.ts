// What the spend commands (`ballast cost ...`, `ballast meter`) share: their flags, one
// collector session per run (its metered clients, backoff and reads in flight), Ctrl-C, and
// how an answer is shown — the screen with where its data came from, or CSV on stdout with
// that line on stderr, or the JSON envelope — and a refresh that failed said as a warning
// over the stored data shown instead (exit 0: something useful was shown).
import {
  collectMeter,
  createCollectorSession,
  SPEND_TIMEOUT_MS,
  type CollectorSession,
} from '@ballast/collectors';
import {
  addMonths,
  dayOf,
  monthOf,
  monthStart,
  RETENTION_MONTHS,
  spendConfig,
  SpendInputError,
  type MeterReport,
  type PlatformConfig,
  type ResolvedContext,
  type SpendConfig,
  type SpendFreshness,
  type Store,
} from '@ballast/core';
import { Flags, ux } from '@oclif/core';
import { BallastCommand, timeoutFlag, type ContextFlags } from './base-command.js';
import { sourceActions, USAGE_EXIT_CODE, UserError } from './errors.js';
import { describeFreshness, staleWarning, type SpendViewOptions } from './views/spend-view.js';

/** Exit code after Ctrl-C, as shells report a process ended by SIGINT (128 + 2). */
export const INTERRUPTED_EXIT_CODE = 130;

/** --refresh */
export const refreshFlags = {
  refresh: Flags.boolean({
    summary:
      'Read again from Cost Explorer what can still change (open months, forecast, anomalies), however fresh; closed months are final and never read again.',
    default: false,
  }),
};

/** --since, --until */
export const rangeFlags = {
  since: Flags.string({
    summary: 'First day, YYYY-MM-DD (UTC). Cost Explorer keeps this month and the 13 before it.',
    helpValue: 'YYYY-MM-DD',
  }),
  until: Flags.string({
    summary: 'Last day, YYYY-MM-DD, included; days after today are not asked for.',
    helpValue: 'YYYY-MM-DD',
  }),
};

/** --csv */
export const csvFlags = {
  csv: Flags.boolean({
    summary:
      'CSV for a spreadsheet: a header row, ISO dates, plain numbers (no $ or thousands separators), RFC 4180 quoting.',
    description:
      'Only the CSV goes to stdout (redirect it to a file); the line saying where the data came from goes to stderr.',
    exclusive: ['json'],
    default: false,
  }),
};

/** --timeout of a spend command: Cost Explorer takes seconds a request, and a cold read pages. */
export const spendTimeoutFlags = { timeout: timeoutFlag(SPEND_TIMEOUT_MS) };

/** One run of a spend command: where it reads, and the options every collection takes. */
export interface SpendRun {
  context: ResolvedContext;
  platform: PlatformConfig;
  spend: SpendConfig;
  store: Store;
  now: number;
  options: {
    context: ResolvedContext;
    store: Store;
    session: CollectorSession;
    now: number;
    refresh: boolean;
    timeoutMs: number;
    signal: AbortSignal;
  };
  /** Ballast's own spend so far (from the call ledger, no AWS request) */
  meter(): MeterReport;
}

export abstract class SpendCommand<T> extends BallastCommand<T> {
  /** Resolves the context, opens the store and a collector session, runs `work`, closes both. */
  protected async withSpend<R>(
    flags: ContextFlags & { timeout: number; refresh?: boolean },
    work: (run: SpendRun) => Promise<R>,
  ): Promise<R> {
    const { context, platform } = await this.loadContext(flags);
    const store = this.openStateStore();
    const shutdown = this.trapShutdown();
    try {
      const now = Date.now();
      const session = createCollectorSession(context, store, { now: Date.now });
      return await work({
        context,
        platform,
        spend: spendConfig(platform),
        store,
        now,
        options: {
          context,
          store,
          session,
          now,
          refresh: flags.refresh ?? false,
          timeoutMs: flags.timeout,
          signal: shutdown.signal,
        },
        meter: () => collectMeter({ context, store, now: Date.now() }),
      });
    } catch (err) {
      // Ctrl-C cut the reads short: that is no failure of Cost Explorer to explain.
      if (shutdown.signal.aborted)
        throw new UserError('Stopped (Ctrl-C) before the answer was complete.', {
          code: 'Interrupted',
          exitCode: INTERRUPTED_EXIT_CODE,
          cause: err,
        });
      if (err instanceof SpendInputError)
        throw this.spendInputError(err, spendConfig(platform).tagKeys, context.platformConfig);
      throw err;
    } finally {
      shutdown.dispose();
      store.close();
    }
  }

  /** A --by, --since or --until the data cannot answer, with what would do (exit 2). */
  private spendInputError(
    err: SpendInputError,
    tagKeys: readonly string[],
    configFile: string,
  ): UserError {
    const command = `${this.config.bin} ${this.errorContext.commandId ?? ''}`.trim();
    const today = dayOf(Date.now());
    const oldest = monthStart(addMonths(monthOf(today), -(RETENTION_MONTHS - 1)));
    const actions =
      err.field === 'by'
        ? [
            `${command} --by service   (or usage-type, region${tagKeys.map((k) => `, tag:${k}`).join('')}; two at most: --by service,tag:${tagKeys[0] ?? 'KEY'})`,
            `A tag key must be a cost-allocation tag activated in the Billing console and listed in spend.tagKeys of ${configFile}.`,
          ]
        : [
            `Dates are YYYY-MM-DD (UTC), --since no later than --until, from ${oldest} (Cost Explorer keeps this month and the ${RETENTION_MONTHS - 1} before it) to today, ${today}.`,
            `e.g. everything Cost Explorer keeps: ${command} --since ${oldest}`,
          ];
    return new UserError(err.message, {
      code: 'InvalidUsage',
      exitCode: USAGE_EXIT_CODE,
      cause: err,
      actions: [...actions, `${command} --help`],
    });
  }

  /**
   * Shows an answer: its CSV (`--csv`), or its screen; under --json only the warning of a
   * failed refresh (the base prints the result). The freshness line ends the screen, or goes
   * to stderr with CSV.
   */
  protected show(
    run: SpendRun,
    freshness: SpendFreshness,
    output: {
      csv: boolean;
      screen: (options: SpendViewOptions) => string[];
      table: () => string;
      /** what is shown when a read failed, when not the stored data */
      instead?: string;
    },
  ): void {
    const stale = staleWarning(freshness, run.now, output.instead);
    if (stale && freshness.error) {
      const actions = sourceActions(freshness.error, this.errorContext);
      this.warn(
        [stale, ...(actions.length ? ['Try this:', ...actions.map((a) => `  • ${a}`)] : [])].join(
          '\n',
        ),
      );
    }
    if (this.jsonEnabled()) return;
    if (output.csv) {
      this.printCsv(output.table());
      ux.stderr(this.stderrPalette.dim(describeFreshness(freshness, run.now)));
      return;
    }
    const options = {
      palette: this.palette,
      width: this.terminal.width,
      now: run.now,
      meter: run.meter(),
    };
    this.log(output.screen(options).join('\n'));
  }

  /** A CSV document (records ending in CRLF) on stdout. */
  protected printCsv(csv: string): void {
    // console.log ends the text with \n; the \r before it closes the last record with CRLF
    // like the others (RFC 4180), and a reader that goes away (`| head`) stays harmless.
    ux.stdout(csv.replace(/\r\n$/, '\r'));
  }
}
