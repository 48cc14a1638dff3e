// Width-aware string helpers that ignore ANSI escape sequences (colored cells still line up).

// eslint-disable-next-line no-control-regex -- matching ANSI escapes is the point
const ANSI = /\u001b\[[0-9;]*m/g;
// eslint-disable-next-line no-control-regex -- as above, with a group so split() keeps them
const ANSI_SPLIT = /(\u001b\[[0-9;]*m)/;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Columns the text occupies. Everything we print is single-width (no CJK, no emoji). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

/** Cut to `width` visible columns, ending in "…" when cut; keeps (and closes) ANSI styling. */
export function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  let styled = false;
  // Split into escape sequences and single characters, copying escapes without counting them.
  for (const part of text.split(ANSI_SPLIT)) {
    if (part.startsWith('\u001b[')) {
      out += part;
      styled = true;
      continue;
    }
    for (const ch of part) {
      if (used === width - 1) return `${out}…${styled ? '\u001b[0m' : ''}`;
      out += ch;
      used += 1;
    }
  }
  return out;
}

/** Cut from the left, keeping the end ("…/platforms/prod.yaml"): for paths. Plain text only. */
export function truncateStart(text: string, width: number): string {
  const chars = [...stripAnsi(text)];
  if (chars.length <= width) return text;
  return width <= 0 ? '' : `…${chars.slice(chars.length - width + 1).join('')}`;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleWidth(text))) + text;
}

/**
 * Word-wraps text to `width` columns. The first line keeps the text's own leading spaces;
 * the following lines start with `indent`. A word longer than a line is left whole, unless
 * `breakWords`: then it starts a line of its own and is split after a "-", "/", "_", ".", or
 * ":" where it can be (names such as TargetTracking-store-web-AlarmHigh-…), else anywhere.
 */
export function wrap(
  text: string,
  width: number,
  indent = '',
  options: { breakWords?: boolean } = {},
): string[] {
  const lead = /^\s*/.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line = lead;
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const blank = line.trim() === '';
    const room = width - visibleWidth(blank ? line : indent);
    if (options.breakWords && visibleWidth(word) > room) {
      if (!blank) {
        lines.push(line);
        line = indent;
      }
      const pieces = splitWord(word, width - visibleWidth(line));
      lines.push(...pieces.slice(0, -1).map((piece, i) => (i === 0 ? line : indent) + piece));
      line = (pieces.length > 1 ? indent : line) + (pieces.at(-1) ?? '');
      continue;
    }
    if (!blank && visibleWidth(`${line} ${word}`) > width) {
      lines.push(line);
      line = indent + word;
    } else line = blank ? line + word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

const BREAK_AFTER = /[-/_.:]/;

/** Pieces of at most `width` characters, cut after a break character when one is not too early. */
function splitWord(word: string, width: number): string[] {
  const max = Math.max(1, width);
  const pieces: string[] = [];
  let rest = [...stripAnsi(word)];
  while (rest.length > max) {
    let cut = max;
    for (let i = max - 1; i >= Math.ceil(max / 3); i--) {
      if (BREAK_AFTER.test(rest[i] ?? '')) {
        cut = i + 1;
        break;
      }
    }
    pieces.push(rest.slice(0, cut).join(''));
    rest = rest.slice(cut);
  }
  pieces.push(rest.join(''));
  return pieces;
}
