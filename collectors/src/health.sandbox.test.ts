// End to end over the wire: the real SDK clients, metered, against the sandbox speaking
// the AWS protocols on a loopback port. Fails loudly if a client upgrade changes the
// protocol the sandbox has to understand.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HEALTH_SOURCES,
  openStore,
  PlatformHealthSchema,
  type ResolvedContext,
  type Store,
} from '@ballast/core';
import { startSandbox } from '@ballast/sandbox';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectAlarms, collectHealth } from './health.js';
import { createCollectorSession } from './session.js';
import { sandboxContextAt } from './testing/index.js';

const HOUR = 3_600_000;

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let store: Store;
let context: ResolvedContext;

beforeAll(async () => {
  // A short backfill keeps start-up fast; an hour of health needs only the last day.
  sandbox = await startSandbox({ port: 0, backfillDays: 1, coarseBackfillDays: 0, seed: 7 });
  context = sandboxContextAt(sandbox.url);
}, 60_000);
afterAll(async () => {
  await sandbox?.stop();
});

beforeEach(async () => {
  store = openStore(mkdtempSync(join(tmpdir(), 'ballast-e2e-')));
  await setFaults([]);
});
afterEach(() => store.close());

async function setFaults(rules: object[]): Promise<void> {
  const response = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: rules.length ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    ...(rules.length ? { body: JSON.stringify({ rules }) } : {}),
  });
  expect(response.ok).toBe(true);
}

describe('collectHealth against the sandbox', () => {
  it('given a healthy sandbox, then every tier has data for each of its signals', async () => {
    const now = Date.now();
    const health = await collectHealth({ context, store, now, sinceMs: HOUR });

    expect(PlatformHealthSchema.parse(health)).toEqual(health);
    expect(health.sources.map((s) => [s.source, s.ok, s.error?.message])).toEqual([
      [HEALTH_SOURCES.metrics, true, undefined],
      [HEALTH_SOURCES.alarms, true, undefined],
      [HEALTH_SOURCES.autoscaling, true, undefined],
    ]);
    expect(health.tiers.map((t) => t.tier)).toEqual(['edge', 'web', 'workers', 'data']);
    const withoutData = health.tiers.flatMap((t) =>
      t.signals.filter((s) => s.current === null).map((s) => `${t.tier}.${s.signal} (${s.label})`),
    );
    expect(withoutData, 'signals with no complete datapoint in the last hour').toEqual([]);
    expect(health.groups.map((g) => [g.name, g.tier])).toEqual(
      expect.arrayContaining([
        ['store-web', 'web'],
        ['store-workers', 'workers'],
      ]),
    );
    for (const group of health.groups) expect(group.onDemand + group.spot).toBe(group.inService);
  });

  it("then each scaling tier has its groups' capacity over the window, from the AWS/AutoScaling group metrics", async () => {
    const health = await collectHealth({ context, store, now: Date.now(), sinceMs: HOUR });

    for (const [tier, name] of [
      ['web', 'store-web'],
      ['workers', 'store-workers'],
    ] as const) {
      const group = health.groups.find((g) => g.name === name);
      const capacity = health.tiers.find((t) => t.tier === tier)?.capacity;
      expect(capacity?.map((c) => [c.group, c.split])).toEqual([[name, 'distribution']]);
      const points = capacity?.[0]?.points ?? [];
      expect(points.length, `${name}: one point a minute`).toBeGreaterThanOrEqual(55);
      for (const p of points) {
        expect(p.max).toBe(group?.max);
        expect(p.desired).toBeGreaterThanOrEqual(group?.min ?? 0);
        expect(p.desired).toBeLessThanOrEqual(group?.max ?? 0);
        expect((p.onDemand ?? NaN) + (p.spot ?? NaN)).toBeCloseTo(p.inService ?? NaN, 9);
      }
    }
    expect(health.tiers.find((t) => t.tier === 'edge')?.capacity).toEqual([]);
    expect(health.activitiesTruncated).toEqual([]);
  });

  it('then every AWS request is in the call ledger with the metrics it asked for and their price', async () => {
    await collectHealth({ context, store, now: Date.now(), sinceMs: HOUR });

    const { rows } = store.callLedger({ context: 'sandbox' });
    const getMetricData = rows.find((r) => r.operation === 'GetMetricData');
    expect(getMetricData).toMatchObject({ service: 'cloudwatch', errors: 0 });
    expect(getMetricData?.metrics).toBeGreaterThan(50);
    expect(getMetricData?.priceUsd).toBeCloseTo(((getMetricData?.metrics ?? 0) * 0.01) / 1_000, 10);
    expect(rows.map((r) => r.operation)).toEqual(
      expect.arrayContaining([
        'GetMetricData',
        'DescribeAlarms',
        'DescribeAutoScalingGroups',
        'DescribeScalingActivities',
      ]),
    );
  });

  it.each([
    { fault: 'throttle', kind: 'throttled', iamAction: undefined },
    { fault: 'access-denied', kind: 'access-denied', iamAction: 'cloudwatch:GetMetricData' },
  ])(
    'given GetMetricData faults with $fault, then only the metrics source degrades ($kind) while alarms and Auto Scaling still show',
    async ({ fault, kind, iamAction }) => {
      await setFaults([
        { service: 'cloudwatch', operation: 'GetMetricData', kind: fault, rate: 1 },
      ]);

      const health = await collectHealth({ context, store, now: Date.now(), sinceMs: HOUR });

      const [metrics, alarms, autoscaling] = health.sources;
      expect(metrics).toMatchObject({ source: HEALTH_SOURCES.metrics, ok: false, error: { kind } });
      expect(metrics?.error?.iamAction).toBe(iamAction);
      expect(alarms?.ok).toBe(true);
      expect(autoscaling?.ok).toBe(true);
      expect(health.groups.length).toBeGreaterThan(0);
      expect(
        health.tiers.every((t) => t.reasons.some((r) => r.startsWith('Metrics unavailable'))),
      ).toBe(true);
      if (kind === 'throttled') {
        // retried by the SDK's standard strategy, every attempt metered
        const row = store.callLedger().rows.find((r) => r.operation === 'GetMetricData');
        expect(row).toMatchObject({ requests: 3, errors: 3, priceUsd: 0 });
      }
    },
    20_000,
  );

  it('given DescribeAlarms is denied, then collectAlarms names the IAM action to grant', async () => {
    await setFaults([
      { service: 'cloudwatch', operation: 'DescribeAlarms', kind: 'access-denied', rate: 1 },
    ]);
    const { alarms, source } = await collectAlarms({ context, store, now: Date.now() });
    expect(alarms).toEqual([]);
    expect(source.error).toMatchObject({
      kind: 'access-denied',
      iamAction: 'cloudwatch:DescribeAlarms',
    });
  });

  it('given every operation throttled, then collections every 5 s back off and the call ledger shows a third of the attempts', async () => {
    // A healthy collection first, so there is stored history to fall back on.
    const start = Date.now();
    await collectHealth({ context, store, now: start, sinceMs: HOUR });
    await setFaults([{ service: '*', operation: '*', kind: 'throttle', rate: 1 }]);
    const since = start + 1;
    let clock = since;
    // random 0.5: pauses of 7.5 s, 15 s, 30 s, ... so calls go out at 0, 10, 25 and 55 s
    const session = createCollectorSession(context, store, { now: () => clock, random: () => 0.5 });

    const reports = [];
    for (let i = 0; i < 12; i++, clock += 5_000)
      reports.push(await collectHealth({ context, store, session, now: clock, sinceMs: HOUR }));

    // Every attempt of the 4 calls per operation is in the ledger (3 each: the SDK retries);
    // without backing off, 12 collections would have made 12 calls per operation.
    const ledger = store.callLedger({ context: 'sandbox', since });
    const requests = Object.fromEntries(ledger.rows.map((r) => [r.operation, r.requests]));
    expect(requests).toMatchObject({
      GetMetricData: 4 * 3,
      DescribeAlarms: 4 * 3,
      DescribeAutoScalingGroups: 4 * 3,
    });
    // One call per group, in parallel: the first to fail ends the others.
    expect(requests.DescribeScalingActivities).toBeLessThanOrEqual(4 * 3 * 2);
    expect(ledger.totals.errors).toBe(ledger.totals.requests);
    // In between, every source says why it failed and when it tries again, and stored
    // history stands in for the metrics.
    for (const report of reports) {
      for (const source of report.sources)
        expect(source.error).toMatchObject({ kind: 'throttled', retryAt: expect.any(Number) });
      expect(report.tiers.find((t) => t.tier === 'web')?.signals[0]?.points.length).toBeGreaterThan(
        0,
      );
    }
  }, 60_000);
});
