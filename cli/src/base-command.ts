// The base of every ballast command, after Salesforce's sf-plugins-core SfCommand:
// `run()` returns a typed result; with --json the base prints it in a fixed envelope
// ({status, result, warnings}), and errors as {status, name, message, code, actions,
// exitCode} on stdout. Without --json, errors go to stderr with a "Try this:" list.
import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULT_TIMEOUT_MS, errorHints } from '@ballast/collectors';
import {
  ballastPaths,
  formatDuration,
  loadPlatformConfig,
  openStore,
  parseDuration,
  resolveContext,
  type PlatformConfig,
  type ResolvedContext,
  type Store,
} from '@ballast/core';
import { Command, Flags, toConfiguredId, ux, type Interfaces } from '@oclif/core';
import { BugError, toCliError, usageError, UserError, type ErrorContext } from './errors.js';
import { createPalette, type Palette } from './output/style.js';
import { detectTerminal, type TerminalInfo } from './output/terminal.js';
import { wrap } from './output/text.js';

export interface JsonSuccess<T> {
  status: 0;
  result: T;
  warnings: string[];
}

export interface JsonFailure {
  status: number;
  name: string;
  message: string;
  code: string;
  actions: string[];
  exitCode: number;
}

/** Flags of every command that reads from AWS (or the sandbox). */
export const contextFlags = {
  // No `env` here: core reads BALLAST_CONTEXT itself, so its errors can say where a name came from.
  context: Flags.string({
    summary:
      'Named context to read from (see `ballast context list`); default: $BALLAST_CONTEXT, else the current one.',
    helpGroup: 'CONTEXT',
  }),
  profile: Flags.string({
    summary: "AWS profile, instead of the context's.",
    helpGroup: 'CONTEXT',
  }),
  region: Flags.string({ summary: "AWS region, instead of the context's.", helpGroup: 'CONTEXT' }),
  'endpoint-url': Flags.string({
    summary: "AWS endpoint URL (e.g. a sandbox on another port), instead of the context's.",
    env: 'AWS_ENDPOINT_URL',
    helpGroup: 'CONTEXT',
  }),
};

export type ContextFlags = Interfaces.InferredFlags<typeof contextFlags>;

/** The longest --timeout: an endpoint that has not answered in ten minutes will not. */
const MAX_TIMEOUT_MS = 10 * 60_000;

/**
 * --timeout of a command that collects from AWS: a duration, in ms once parsed, defaulting to
 * `defaultMs` (a health collection's 20s; a spend one waits longer for Cost Explorer).
 */
export function timeoutFlag(defaultMs: number) {
  return Flags.custom<number>({
    summary: 'Deadline of each collection from AWS: 5s, 20s, 1m, ... (at most 10m).',
    description:
      'Requests still unanswered then are cut off, and what they would have read is reported as timed out (the endpoint is unreachable), with stored history where there is some. Each single request also gives up after 10s and is retried within the deadline.',
    default: defaultMs,
    defaultHelp: async () => formatDuration(defaultMs),
    parse: async (input) => {
      const ms = parseDuration(input);
      if (ms > MAX_TIMEOUT_MS)
        throw new Error(`${input} is longer than the longest deadline, 10m.`);
      return ms;
    },
  })();
}

/** --timeout, of every command that collects from AWS: a duration, in ms once parsed. */
export const timeoutFlags = { timeout: timeoutFlag(DEFAULT_TIMEOUT_MS) };

export abstract class BallastCommand<T> extends Command {
  public static override enableJsonFlag = true;

  /** Colors, cursor control and width of stdout. */
  protected terminal: TerminalInfo = detectTerminal(process.stdout, process.env);
  protected palette: Palette = createPalette(this.terminal.color);
  /** Colors for stderr (progress, warnings, errors), which may go elsewhere than stdout. */
  private stderrTerminal: TerminalInfo = detectTerminal(process.stderr, process.env);
  protected stderrPalette: Palette = createPalette(this.stderrTerminal.color);
  /** Filled in as the command learns where it is pointed, to make error advice specific. */
  protected errorContext: ErrorContext = {};

  private warnings: string[] = [];
  private streamedJson = false;

  public abstract override run(): Promise<T>;

  protected override async init(): Promise<void> {
    await super.init();
    // "context:add" as the user types it: "context add".
    this.errorContext.commandId = this.id ? toConfiguredId(this.id, this.config) : undefined;
  }

  /** Warnings go to stderr, or into the `warnings` of the JSON envelope. */
  public override warn(input: string | Error): string | Error {
    const message = input instanceof Error ? input.message : input;
    this.warnings.push(message);
    if (!this.jsonEnabled())
      ux.stderr(formatWarning(message, this.stderrPalette, this.stderrTerminal.width));
    return input;
  }

  protected override toSuccessJson(result: T): JsonSuccess<T> {
    return { status: 0, result, warnings: [...this.warnings] };
  }

  /** Machine output: plain JSON, never colored. */
  protected override logJson(json: unknown): void {
    // A command that streamed NDJSON already printed every result; no closing envelope.
    if (this.streamedJson) return;
    ux.stdout(JSON.stringify(json, null, 2));
  }

  /** One compact envelope per line (NDJSON), for --watch --json. */
  protected logJsonLine(result: T): void {
    this.streamedJson = true;
    ux.stdout(JSON.stringify(this.toSuccessJson(result)));
    this.warnings = [];
  }

  protected override async catch(thrown: Interfaces.CommandError): Promise<never> {
    // Anything thrown before parsing finished is a problem with the flags or arguments.
    const error =
      !this.parsed && !(thrown instanceof UserError)
        ? usageError(tidyParseMessage(thrown.message), this.errorContext, thrown)
        : toCliError(thrown, this.errorContext);
    if (this.jsonEnabled()) {
      ux.stdout(JSON.stringify(jsonFailure(error), null, 2));
    } else {
      ux.stderr(formatHumanError(error, this.stderrPalette));
    }
    // Printed already: oclif's top-level handler only sets the exit code.
    throw Object.assign(error, { skipOclifErrorHandling: true, oclif: { exit: error.exitCode } });
  }

  /**
   * Resolves --context/--profile/--region/--endpoint-url against the saved contexts, and
   * loads the context's platform config (so a broken config fails before any AWS call).
   */
  protected async loadContext(
    flags: ContextFlags,
  ): Promise<{ context: ResolvedContext; platform: PlatformConfig }> {
    const context = resolveContext({
      name: flags.context,
      env: process.env,
      paths: ballastPaths(),
      overrides: {
        profile: flags.profile,
        region: flags.region,
        endpointUrl: flags['endpoint-url'],
      },
    });
    // The same hints the collectors give their errors, so advice reads the same everywhere.
    Object.assign(this.errorContext, errorHints(context));
    const platform = loadPlatformConfig(context.platformConfig);
    if (context.region !== platform.region)
      this.warn(
        `Context ${context.name} reads region ${context.region}, but platform ${platform.name} is in ${platform.region}: ` +
          `expect missing data. Use --region ${platform.region} if that is where it runs.`,
      );
    return { context, platform };
  }

  /** The local SQLite store (history, response cache, call ledger) in the state dir. */
  protected openStateStore(): Store {
    const { stateDir } = ballastPaths();
    try {
      return openStore(stateDir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code && ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR'].includes(code))
        throw new UserError(`Cannot write ballast's state to ${stateDir} (${code}).`, {
          code: 'StateDirUnwritable',
          cause: err,
          actions: [
            'Point BALLAST_HOME (or XDG_STATE_HOME) at a writable folder, e.g. export BALLAST_HOME=$HOME/.ballast',
          ],
        });
      throw err;
    }
  }

  /**
   * For commands that run until stopped: the returned signal aborts on the first SIGINT or
   * SIGTERM (Ctrl-C), or when whoever reads stdout goes away (EPIPE: `... --watch | head`).
   * dispose() removes the handlers; the signal ones are `once`, so a second Ctrl-C during
   * cleanup still kills the process.
   */
  protected trapShutdown(): { signal: AbortSignal; dispose(): void } {
    const controller = new AbortController();
    const stop = () => controller.abort();
    const onStdoutError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') stop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.stdout.on('error', onStdoutError);
    return {
      signal: controller.signal,
      dispose: () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        process.stdout.off('error', onStdoutError);
      },
    };
  }

  /** Waits `ms`, or less when `signal` aborts; never throws. */
  protected async pause(ms: number, signal: AbortSignal): Promise<void> {
    await delay(ms, undefined, { signal }).catch(() => undefined);
  }

  /** Resolves once `signal` aborts. */
  protected async untilAborted(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    await new Promise<void>((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  }
}

/**
 * oclif's parser messages, tidied: no "See more help with --help" (the actions say it), no
 * "The following error occurred:" heading, flags written as the user types them.
 */
export function tidyParseMessage(message: string): string {
  const lines = message
    .replace(/\n?See more help with --help\s*$/, '')
    .split('\n')
    .filter((line) => !/^The following errors? occurred:$/.test(line.trim()))
    .map((line) =>
      line.trim().replace(/^(Missing required flag|Parsing) -{0,2}([\w-]+)/, '$1 --$2'),
    )
    .filter(Boolean);
  // "Parsing --interval" is a heading for the line below it.
  if (lines.length > 1 && /^Parsing --[\w-]+$/.test(lines[0] ?? ''))
    return `${lines[0]}: ${lines.slice(1).join(' ')}`;
  return lines.join('\n');
}

/** The --json envelope of an error. */
export function jsonFailure(error: UserError | BugError): JsonFailure {
  return {
    status: error.exitCode,
    name: error.name,
    message: error.message,
    code: error.code,
    actions: [...error.actions],
    exitCode: error.exitCode,
  };
}

/**
 * "Warning: ..." wrapped to the width of stderr (the envelope keeps the message whole): its
 * lines continue indented, a "• action" line under its own text.
 */
export function formatWarning(message: string, palette: Palette, width: number): string {
  return `${palette.yellow('Warning:')} ${message}`
    .split('\n')
    .flatMap((line) => wrap(line, width, /^\s*• /.test(line) ? '    ' : '  '))
    .join('\n');
}

export function formatHumanError(error: UserError | BugError, palette: Palette): string {
  const lines = [`${palette.red(palette.bold('Error:'))} ${error.message}`];
  if (error.actions.length)
    lines.push('', palette.bold('Try this:'), ...error.actions.map((a) => `  • ${a}`));
  if (process.env.BALLAST_DEBUG) {
    const cause = error.cause instanceof Error ? error.cause : error;
    lines.push('', palette.dim(cause.stack ?? String(cause)));
  }
  return lines.join('\n');
}
