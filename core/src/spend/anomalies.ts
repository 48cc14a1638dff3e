// Cost anomalies as a founder reads them: which are still going on (open) and which are
// over (past), with what they cost beyond the expected spend and why.
import type { AnomalyReport, CostAnomaly, SpendFreshness } from '../model/spend.js';
import { roundAmount } from './cost-table.js';
import { addDays, dayOf } from './dates.js';

/**
 * Open: Cost Anomaly Detection still saw it on the last day it evaluated. It works on
 * yesterday's cost (today's is partial), so an anomaly whose last day is yesterday or
 * today, or that has no end yet, is open.
 */
export function isOpenAnomaly(anomaly: CostAnomaly, now: number): boolean {
  return anomaly.end === null || anomaly.end >= addDays(dayOf(now), -1);
}

/**
 * The anomalies whose last day (or first, when open-ended) falls in `range`: open first,
 * then the most recent, then the largest impact.
 */
export function anomalyReport(
  anomalies: readonly CostAnomaly[],
  range: { start: string; end: string },
  now: number,
  monitors: number | null,
  freshness: SpendFreshness,
): AnomalyReport {
  const views = anomalies
    .filter((a) => {
      const day = a.end ?? a.start;
      return day === null || (day >= range.start && day < range.end);
    })
    .map((a) => ({ ...a, open: isOpenAnomaly(a, now) }))
    .sort(
      (a, b) =>
        Number(b.open) - Number(a.open) ||
        (b.end ?? b.start ?? '').localeCompare(a.end ?? a.start ?? '') ||
        b.impact.totalUsd - a.impact.totalUsd,
    );
  const sum = (open: boolean) => {
    const list = views.filter((a) => a.open === open);
    return {
      count: list.length,
      impactUsd: roundAmount(list.reduce((s, a) => s + a.impact.totalUsd, 0)),
    };
  };
  return { range, anomalies: views, open: sum(true), past: sum(false), monitors, freshness };
}

/** Anomalies read now replace the stored ones with the same id; older ones are kept. */
export function mergeAnomalies(
  stored: readonly CostAnomaly[],
  fresh: readonly CostAnomaly[],
): CostAnomaly[] {
  const byId = new Map(stored.map((a) => [a.id, a]));
  for (const a of fresh) byId.set(a.id, a);
  return [...byId.values()];
}
