// Horizontal bars for terminal charts: one bar per row, in eighths of a character, and
// stacked bars whose segments are told apart by their glyph (so they read without color)
// and by color when the palette has it.
import type { Paint } from './style.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'] as const;

/**
 * A bar `value / max` of `width` characters, drawn in eighths; a value above zero shows at
 * least a sliver, so "small" never reads as "nothing".
 */
export function bar(value: number, max: number, width: number): string {
  if (!(max > 0) || !(value > 0) || width <= 0) return '';
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

export interface Segment {
  value: number;
  glyph: string;
  paint?: Paint;
}

/**
 * Segments side by side, `total / max` of `width` characters in all, each as wide as its
 * share (boundaries rounded from the running sum, so the widths add up to the whole). A
 * segment above zero too thin for a character of its own shares none: the others keep
 * their proportions.
 */
export function stackedBar(segments: readonly Segment[], max: number, width: number): string {
  if (!(max > 0) || width <= 0) return '';
  const scale = width / max;
  let out = '';
  let sum = 0;
  let drawn = 0;
  for (const s of segments) {
    if (!(s.value > 0)) continue;
    sum += s.value;
    const end = Math.round(Math.min(sum, max) * scale);
    const n = end - drawn;
    if (n <= 0) continue;
    const text = s.glyph.repeat(n);
    out += s.paint ? s.paint(text) : text;
    drawn = end;
  }
  // Spend above zero never draws as nothing: a sliver of the largest segment.
  if (drawn === 0 && segments.some((s) => s.value > 0)) {
    const largest = [...segments].sort((a, b) => b.value - a.value)[0]!;
    out = largest.paint ? largest.paint('▏') : '▏';
  }
  return out;
}
