import type { Point } from '@ballast/core';

/**
 * A tiny trend line in plain SVG (the Overview loads without the charting library).
 * The viewBox is stretched to the box; `non-scaling-stroke` keeps the line width even.
 */
export function Sparkline({ points, className }: { points: Point[]; className?: string }) {
  if (points.length < 2)
    return <svg className={`sparkline ${className ?? ''}`} aria-hidden="true" />;
  const W = 100;
  const H = 30;
  const t0 = points[0]!.t;
  const t1 = points[points.length - 1]!.t;
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of points) {
    lo = Math.min(lo, p.v);
    hi = Math.max(hi, p.v);
  }
  // A flat series sits in the middle instead of hugging an edge.
  const span = hi - lo || Math.abs(hi) || 1;
  const pad = hi === lo ? span / 2 : 0;
  const x = (t: number) => ((t - t0) / (t1 - t0 || 1)) * W;
  const y = (v: number) => H - 2 - ((v - lo + pad) / (span + 2 * pad)) * (H - 4);
  const line = points
    .map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(2)},${y(p.v).toFixed(2)}`)
    .join('');
  const area = `${line}L${W},${H}L0,${H}Z`;
  return (
    <svg
      className={`sparkline ${className ?? ''}`}
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      aria-hidden="true"
    >
      <path className="sparkline-area" d={area} />
      <path className="sparkline-line" d={line} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
