#!/usr/bin/env node
// Scaling activities a day of each group over an ordinary week (no sale): how much a policy
// flaps. Counts what DescribeScalingActivities lists (one activity per launch or
// termination) by store day (US Eastern), from a seeded simulation, so runs are comparable.
//   node sandbox/scripts/scaling-activity.js [--seed 1] [--days 7] [--until 2025-11-17]
import { parseArgs } from 'node:util';
import { loadReferencePlatform, Simulation } from '@ballast/sandbox';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    days: { type: 'string', default: '7' },
    until: { type: 'string', default: '2025-11-17' },
  },
});
const days = Number(values.days);
// Store midnight (UTC-5) at the end of the week measured.
const until = Date.parse(`${values.until}T05:00:00Z`);
if (!(days >= 1) || Number.isNaN(until)) {
  console.error('usage: scaling-activity.js [--seed N] [--days N>=1] [--until YYYY-MM-DD]');
  process.exit(2);
}
const sim = new Simulation({
  platform: loadReferencePlatform(),
  seed: Number(values.seed),
  nowMs: until,
  backfillDays: days + 1,
  coarseBackfillDays: 0,
  blackFriday: false,
});
const from = until - days * 86_400_000;
for (const group of sim.groups.values()) {
  const perDay = new Map();
  for (const a of group.activities) {
    if (a.startTime < from || a.startTime >= until) continue;
    const day = new Date(a.startTime - 5 * 3_600_000).toISOString().slice(5, 10);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  const total = [...perDay.values()].reduce((a, b) => a + b, 0);
  console.log(
    `${group.name.padEnd(16)} ${(total / days).toFixed(1).padStart(6)} a day  (${[...perDay]
      .map(([day, n]) => `${day}: ${n}`)
      .join(', ')})`,
  );
}
