// The cost anomalies Cost Anomaly Detection reports for the planted anomalies, from the bill as
// Cost Explorer shows it: per day, the service's actual spend and the spend expected without
// the anomaly. An anomaly appears once a whole day of it is in the bill, and lasts until the
// last day of the bill that still has it (the forgotten instance has no end yet).
import { hashUuid } from '../random.js';
import type { LedgerView } from './ledger.js';
import { SERVICE, type Line } from './lines.js';

export interface AnomalyDay {
  day: number;
  actual: number;
  expected: number;
}

export interface AnomalyReport {
  id: string;
  kind: NonNullable<Line['anomaly']>;
  /** the service the monitor saw it in (DimensionValue) */
  service: string;
  region: string;
  usageType: string;
  days: AnomalyDay[];
}

const ANOMALY_SERVICE: Record<NonNullable<Line['anomaly']>, string> = {
  'forgotten-instance': SERVICE.ec2,
  hotlink: SERVICE.cloudFront,
};

/** How long Cost Anomaly Detection keeps anomalies. */
export const ANOMALY_RETENTION_DAYS = 90;

export function reportAnomalies(view: LedgerView, seed: number): AnomalyReport[] {
  const lastComplete = view.lastDayPartial ? view.lastDay - 1 : view.lastDay;
  const reports: AnomalyReport[] = [];
  for (const kind of Object.keys(ANOMALY_SERVICE) as (keyof typeof ANOMALY_SERVICE)[]) {
    const service = ANOMALY_SERVICE[kind];
    const inService = view.lines.filter((l) => l.service === service);
    const anomalous = inService.filter((l) => l.anomaly === kind);
    if (anomalous.length === 0) continue;
    // The root cause is the usage, not the requests that came with it.
    const main = anomalous.find((l) => l.unit !== 'Requests') ?? anomalous[0]!;
    const days: AnomalyDay[] = [];
    const first = Math.max(view.firstDay, lastComplete - ANOMALY_RETENTION_DAYS + 1);
    for (let day = first; day <= lastComplete; day++) {
      const record = view.day(day);
      if (!record) continue;
      let actual = 0;
      let extra = 0;
      for (const line of inService) {
        const cost = record.cost[line.id] ?? 0;
        actual += cost;
        if (line.anomaly === kind) extra += cost;
      }
      if (extra > 0.01) days.push({ day, actual, expected: actual - extra });
      else if (days.length > 0) break;
    }
    if (days.length === 0) continue;
    reports.push({
      id: hashUuid(seed, 'cost-anomaly', kind),
      kind,
      service,
      region: main.region,
      usageType: main.usageType,
      days,
    });
  }
  return reports.sort((a, b) => a.days[0]!.day - b.days[0]!.day);
}

/** How anomalous a day is, 0..1: the share of the day's spend the anomaly added, stretched. */
export function anomalyScore(day: AnomalyDay): number {
  const impact = day.actual - day.expected;
  return day.actual > 0 ? Math.min(0.99, Math.round((1.4 * impact * 100) / day.actual) / 100) : 0;
}
