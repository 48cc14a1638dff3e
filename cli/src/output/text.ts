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
 * the following lines start with `indent`. A word longer than a line is left whole.
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lead = /^\s*/.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line = lead;
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const blank = line.trim() === '';
    if (!blank && visibleWidth(`${line} ${word}`) > width) {
      lines.push(line);
      line = indent + word;
    } else line = blank ? line + word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}
