// What the output stream can take: colors, cursor movement, width. Decided once per
// command from the stream and the environment, so formatting code stays pure.

export interface TerminalInfo {
  /** ANSI colors are allowed. */
  color: boolean;
  /** Cursor tricks (clearing the screen) are allowed: a real terminal, not a pipe or file. */
  interactive: boolean;
  /** Width that tables and sparklines must fit in. */
  width: number;
  /** Lines on the screen, for what redraws a whole screen; undefined when not a terminal. */
  rows?: number;
}

export interface OutputStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

/** Tables fit 80-100 columns; narrower terminals get what they have, never less than this. */
const MIN_WIDTH = 60;
const MAX_WIDTH = 100;

/**
 * NO_COLOR (https://no-color.org) wins; FORCE_COLOR=0/false turns colors off and any other
 * value forces them on (also through a pipe); otherwise colors follow the TTY. The width is
 * the terminal's, or through a pipe COLUMNS when set (`COLUMNS=80 ballast alarms | less`).
 */
export function detectTerminal(
  stream: OutputStream,
  env: Record<string, string | undefined>,
): TerminalInfo {
  const tty = stream.isTTY === true && env.TERM !== 'dumb';
  let color = tty;
  const force = env.FORCE_COLOR;
  if (force !== undefined) color = !['0', 'false'].includes(force.toLowerCase());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') color = false;
  const columns = (tty && stream.columns) || positiveInteger(env.COLUMNS) || MAX_WIDTH;
  return {
    color,
    interactive: tty,
    width: Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns)),
    ...(tty && stream.rows ? { rows: stream.rows } : {}),
  };
}

function positiveInteger(text: string | undefined): number | undefined {
  const n = Number(text);
  return text && Number.isInteger(n) && n > 0 ? n : undefined;
}
