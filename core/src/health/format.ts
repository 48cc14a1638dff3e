// Numbers as they appear in health reasons: "3.2%", "640 ms", "5 min", "1,250 req/min".

export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return Number(value.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function formatValue(value: number, unit: string): string {
  if (unit === '%') return `${formatNumber(value)}%`;
  if (unit === 'ms') {
    if (Math.abs(value) < 1_000) return `${formatNumber(value)} ms`;
    if (Math.abs(value) < 60_000) return `${formatNumber(value / 1_000)} s`;
    return `${formatNumber(value / 60_000)} min`;
  }
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** "14:03 UTC" */
export function formatClock(t: number): string {
  return `${new Date(t).toISOString().slice(11, 16)} UTC`;
}
