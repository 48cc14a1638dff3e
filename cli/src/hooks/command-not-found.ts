// `ballast helth`: an unknown command answers with the nearest real one, in a terminal or a
// pipe alike, and exits 2 like any other usage error. (oclif's plugin-not-found only suggests
// through an interactive prompt, so through a pipe or in CI it said nothing useful.)
import { toConfiguredId, type Hook } from '@oclif/core';
import { formatHumanError, jsonFailure } from '../base-command.js';
import { USAGE_EXIT_CODE, UserError } from '../errors.js';
import { createPalette } from '../output/style.js';
import { detectTerminal } from '../output/terminal.js';

const hook: Hook.CommandNotFound = async function (opts) {
  const { config } = opts;
  const ids = config.commands
    .filter((c) => !c.hidden)
    .flatMap((c) => [c.id, ...c.aliases])
    .filter((id) => id !== 'help');
  const match = closestCommand(opts.id, ids);
  // "context ad prod": the words after the command's own are its arguments.
  const typed = toConfiguredId(match ? match.typed : opts.id, config);
  const args = [...(match?.args ?? []), ...(opts.argv ?? [])].filter((a) => a !== '--json');
  const suggestion = match && toConfiguredId(match.id, config);
  const help = `${config.bin} --help   (every command)`;
  // "cost movers extra": a real command, and words it does not take.
  const extra = match && match.typed === match.id ? match.args : [];
  const error = new UserError(
    extra.length > 0
      ? `"${extra.join(' ')}" is neither a command of "${config.bin} ${suggestion}" nor an argument it takes.`
      : suggestion
        ? `"${typed}" is not a ${config.bin} command. Did you mean "${suggestion}"?`
        : `"${typed}" is not a ${config.bin} command.`,
    {
      code: 'UnknownCommand',
      exitCode: USAGE_EXIT_CODE,
      actions:
        extra.length > 0
          ? [`${config.bin} ${suggestion} --help`, help]
          : suggestion
            ? [[config.bin, suggestion, ...args].join(' '), help]
            : [help],
    },
  );
  if (opts.argv?.includes('--json')) {
    process.stdout.write(`${JSON.stringify(jsonFailure(error), null, 2)}\n`);
  } else {
    const palette = createPalette(detectTerminal(process.stderr, process.env).color);
    process.stderr.write(`${formatHumanError(error, palette)}\n`);
  }
  // Printed already: oclif only sets the exit code.
  throw Object.assign(error, {
    skipOclifErrorHandling: true,
    oclif: { exit: error.exitCode },
  });
};

export default hook;

/**
 * The command id nearest to what was typed (ids as oclif spells them, "context:add"), when it
 * is near enough to be what was meant: a few typos, or a prefix of it. Each id is compared
 * with as many words of `typed` as it has; the words after them are arguments.
 */
export function closestCommand(
  typed: string,
  ids: readonly string[],
): { id: string; typed: string; args: string[] } | undefined {
  const words = typed.split(':');
  let best: { id: string; typed: string; args: string[]; distance: number } | undefined;
  // A command typed whole with words after it ("cost forcast") reaches this hook only when it
  // takes no arguments: those words are a mistyped subcommand, if one is near enough.
  let exact: { id: string; typed: string; args: string[] } | undefined;
  for (const id of ids) {
    const length = id.split(':').length;
    const head = words.slice(0, length).join(':');
    const args = words.slice(length);
    const distance = editDistance(head.toLowerCase(), id.toLowerCase());
    if (distance === 0 && args.length > 0) {
      if (!exact || length > exact.id.split(':').length) exact = { id, typed: head, args };
      continue;
    }
    if (!best || distance < best.distance) best = { id, typed: head, args, distance };
  }
  const nearEnough =
    best &&
    (best.distance <= Math.max(2, Math.floor(best.typed.length / 3)) ||
      best.id.startsWith(best.typed));
  if (best && nearEnough) return { id: best.id, typed: best.typed, args: best.args };
  return exact;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
