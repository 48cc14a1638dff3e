// Plain numbers as people read them: three significant digits, thousands grouped, large
// values compacted ("27.3K"), small ones keeping their significant digits ("0.009", never "0").

const SIGNIFICANT = 3;
const SUFFIXES = [
  [1e3, 'K'],
  [1e6, 'M'],
  [1e9, 'B'],
  [1e12, 'T'],
] as const;

/**
 * 0.0421 -> "0.0421", 0.009 -> "0.009", 7.25 -> "7.25", 312.6 -> "313", 1234 -> "1,234",
 * 12_345 -> "12.3K", 2_500_000 -> "2.5M". Non-finite values -> "—".
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs >= 10_000) {
    let i = SUFFIXES.findLastIndex(([size]) => abs >= size);
    let scaled = roundSignificant(abs / SUFFIXES[i]![0]);
    // 999,999 rounds to "1000K": say "1M" instead.
    if (scaled >= 1_000 && i < SUFFIXES.length - 1) {
      i += 1;
      scaled = roundSignificant(abs / SUFFIXES[i]![0]);
    }
    return `${sign}${plain(scaled)}${SUFFIXES[i]![1]}`;
  }
  if (abs >= 1_000) return `${sign}${group(String(Math.round(abs)))}`;
  const rounded = roundSignificant(abs); // 999.7 rounds to 1000
  if (rounded === 0) return '0';
  return `${sign}${rounded >= 1_000 ? group(String(rounded)) : plain(rounded)}`;
}

/** `value` to three significant digits (0 stays 0). */
function roundSignificant(value: number): number {
  if (value === 0) return 0;
  return Number(value.toPrecision(SIGNIFICANT));
}

/** A number without exponent notation or trailing zeros: 1.2e-7 -> "0.00000012". */
function plain(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const decimals = Math.min(20, Math.max(0, SIGNIFICANT - 1 - Math.floor(Math.log10(value))));
  return value.toFixed(decimals).replace(/\.?0+$/, '');
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
