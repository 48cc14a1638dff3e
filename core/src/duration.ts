// Durations as people type them on the command line: --since 15m, 6h, 2d, 14d. Written
// back with formatDuration (format/time.ts).

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export class DurationError extends Error {
  constructor(readonly input: string) {
    super(
      `Invalid duration "${input}": use a whole number followed by a unit, e.g. 15m, 1h, 6h, 2d or 14d ` +
        `(units: s, m, h, d, w).`,
    );
    this.name = 'DurationError';
  }
}

/** "15m" -> 900000. Throws DurationError for anything else than `<positive integer><s|m|h|d|w>`. */
export function parseDuration(input: string): number {
  const match = /^\s*(\d+)\s*([smhdw])\s*$/.exec(input);
  if (!match) throw new DurationError(input);
  const amount = Number(match[1]);
  if (amount <= 0 || !Number.isSafeInteger(amount)) throw new DurationError(input);
  return amount * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
