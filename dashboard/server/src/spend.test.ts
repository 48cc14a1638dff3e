// /api/spend, its CSV tables and the Overview's summary, through createServer with a spend
// source that records what it is asked: which requests collect (and so may pay Cost
// Explorer) and which are answered from memory.
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { SpendPageSchema, type MeterReport, type SpendError, type SpendPage } from '@ballast/core';
import { makeHealth } from '../../test/health-fixture.js';
import { makeSpendPage } from '../../test/spend-fixture.js';
import type { SpendResponse, SpendSummary, SpendView } from './api.js';
import { SPEND_CSV_TABLES } from './spend-csv.js';
import { createServer, SpendUnavailable, type SpendDeps } from './server.js';
import { SPEND_RETRY_MS, SPEND_ROUND_MS, type SpendSummarySource } from './spend.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Friday 20 November 2026, noon UTC */
const NOW = Date.UTC(2026, 10, 20, 12);

function fakeSpend(
  options: { start?: number; page?: (view: SpendView) => Promise<SpendPage> } = {},
) {
  let clock = options.start ?? NOW;
  const views: SpendView[] = [];
  const page = vi.fn(
    options.page ??
      (async (view: SpendView) => {
        views.push(view);
        // The fixture's bill is by service and team: other groupings get its service view.
        const by = view.by.every((d) => d === 'service' || d === 'tag:team') ? view.by : undefined;
        return makeSpendPage({ now: clock, ...(by ? { by } : {}) });
      }),
  );
  const summary = vi.fn(async (): Promise<SpendSummarySource> => {
    const full = makeSpendPage({ now: clock });
    return {
      context: 'sandbox',
      evaluatedAt: clock,
      forecast: full.forecast,
      anomalies: full.anomalies,
      lastMonth: full.costs,
      unavailable: [],
      meter: full.meter,
    };
  });
  const meter = vi.fn((): MeterReport => makeSpendPage({ now: clock, days: 1 }).meter);
  const spend: SpendDeps = { tagKeys: ['team', 'env', 'tier'], page, summary, meter };
  const app = createServer({
    health: async () => makeHealth({ now: clock }),
    now: () => clock,
    spend,
  });
  return {
    app,
    page,
    summary,
    views,
    advance: (ms: number) => (clock += ms),
  };
}

describe('the spend fixture', () => {
  it('is a page the collectors could have given', () => {
    expect(() => SpendPageSchema.parse(makeSpendPage({ now: NOW }))).not.toThrow();
  });
});

describe('GET /api/spend', () => {
  it('returns the page of the default view: 13 months by service, with the tag keys and when it is collected again', async () => {
    const { app, views } = fakeSpend();
    const res = await request(app).get('/api/spend').expect(200);
    const body = res.body as SpendResponse;
    expect(views).toEqual([{ by: ['service'], metric: 'UnblendedCost' }]);
    expect(body.page.costs.groupBy).toEqual(['service']);
    expect(body.page).not.toHaveProperty('meter');
    expect(body.meter.today.requests).toBe(9);
    expect(body.tagKeys).toEqual(['team', 'env', 'tier']);
    expect(body.view.presets.map((p) => [p.id, p.since])).toEqual([
      ['1m', '2026-11-01'],
      ['3m', '2026-09-01'],
      ['6m', '2026-06-01'],
      ['13m', undefined],
    ]);
    expect(body.refresh).toEqual({
      now: NOW,
      collectedAt: NOW,
      nextAt: NOW + SPEND_ROUND_MS,
      reason: 'round',
      roundMs: SPEND_ROUND_MS,
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('passes the view through: range, a tag grouping and the metric', async () => {
    const { app, views } = fakeSpend();
    await request(app)
      .get('/api/spend?since=2026-06-01&until=2026-10-31&by=tag:team&metric=AmortizedCost')
      .expect(200);
    await request(app).get('/api/spend?by=usage-type,region').expect(200);
    expect(views).toEqual([
      { since: '2026-06-01', until: '2026-10-31', by: ['tag:team'], metric: 'AmortizedCost' },
      { by: ['usage-type', 'region'], metric: 'UnblendedCost' },
    ]);
  });

  it.each([
    ['since=2026-13-01', /^since: expected a date as YYYY-MM-DD, got "2026-13-01"/],
    ['since=nov', /^since must be a date as YYYY-MM-DD, e.g. 2025-11-01$/],
    ['since=2026-01-01&since=2026-02-01', /^since must be one date as YYYY-MM-DD/],
    ['since=2026-10-01&until=2026-09-30', /^until: 2026-09-30 is before since 2026-10-01/],
    ['since=2025-09-30', /^since: 2025-09-30 is older than Cost Explorer keeps/],
    ['since=2026-12-01', /^since: 2026-12-01 is in the future/],
    [
      'by=tag:owner',
      /^by: unknown tag key "owner": the platform config's spend.tagKeys are team, env, tier/,
    ],
    ['by=service,region,usage-type', /^by: at most 2 dimensions/],
    ['by=account', /^by: expected service, usage-type, region, tag:team/],
    ['metric=BlendedCost', /metric must be one of UnblendedCost, AmortizedCost, NetUnblendedCost/],
    ['grain=daily', /unknown parameter "grain" \(allowed: since, until, by, metric\)/],
  ])(
    'rejects ?%s with a 400 naming the parameter, before anything is read',
    async (query, message) => {
      const { app, page } = fakeSpend();
      const res = await request(app).get(`/api/spend?${query}`).expect(400);
      expect(res.body.error).toBe('bad-request');
      expect(res.body.message).toMatch(message);
      expect(page).not.toHaveBeenCalled();
    },
  );

  it('answers a view already collected from memory: reloads, CSV exports and the summary never collect it again', async () => {
    const { app, page, advance } = fakeSpend();
    const first = await request(app).get('/api/spend?by=tag:team').expect(200);
    for (let i = 0; i < 5; i++) {
      advance(HOUR);
      const again = await request(app).get('/api/spend?by=tag:team').expect(200);
      expect((again.body as SpendResponse).page).toEqual((first.body as SpendResponse).page);
      expect((again.body as SpendResponse).refresh.now).toBe(NOW + (i + 1) * HOUR);
    }
    await request(app).get('/api/spend/csv/costs?by=tag:team').expect(200);
    expect(page).toHaveBeenCalledTimes(1);
    // Another view is another collection
    await request(app).get('/api/spend?by=service').expect(200);
    expect(page).toHaveBeenCalledTimes(2);
  });

  it('lets requests that arrive together share one collection', async () => {
    const { app, page } = fakeSpend();
    await Promise.all(Array.from({ length: 8 }, () => request(app).get('/api/spend').expect(200)));
    expect(page).toHaveBeenCalledTimes(1);
  });

  it('collects again once the round has ended, and not before', async () => {
    const { app, page, advance } = fakeSpend();
    await request(app).get('/api/spend').expect(200);
    advance(SPEND_ROUND_MS - 1);
    await request(app).get('/api/spend').expect(200);
    expect(page).toHaveBeenCalledTimes(1);
    advance(1);
    const res = await request(app).get('/api/spend').expect(200);
    expect(page).toHaveBeenCalledTimes(2);
    expect((res.body as SpendResponse).refresh.nextAt).toBe(NOW + 2 * SPEND_ROUND_MS);
  });

  it('given a Spend page and the Overview open for 3 days, polling every 10 minutes, then each is collected once a round', async () => {
    const { app, page, summary, advance } = fakeSpend();
    for (let t = 0; t <= 72 * HOUR; t += 10 * MINUTE) {
      await request(app).get('/api/spend').expect(200);
      await request(app).get('/api/spend/summary').expect(200);
      advance(10 * MINUTE);
    }
    // Rounds at 0, 24 h 10 min, 48 h 20 min (the first poll after each end): three each
    expect(page).toHaveBeenCalledTimes(3);
    expect(summary).toHaveBeenCalledTimes(3);
  }, 120_000); // 866 requests: minutes on a busy 2-core machine

  it('given a panel that could not be read, then it is tried again after its backoff, not at the round end', async () => {
    const throttled: SpendError = {
      kind: 'throttled',
      message: 'Cost Explorer throttled GetAnomalies (LimitExceededException)',
      retryAt: NOW + 2 * MINUTE,
    };
    let failing = true;
    const { app, page, advance } = fakeSpend({
      page: async () => {
        const full = makeSpendPage({ now: NOW });
        return failing
          ? { ...full, anomalies: null, unavailable: [{ panel: 'anomalies', error: throttled }] }
          : full;
      },
    });
    const first = await request(app).get('/api/spend').expect(200);
    expect((first.body as SpendResponse).refresh).toMatchObject({
      nextAt: NOW + 2 * MINUTE,
      reason: 'retry',
    });
    advance(2 * MINUTE);
    failing = false;
    const second = await request(app).get('/api/spend').expect(200);
    expect(page).toHaveBeenCalledTimes(2);
    expect((second.body as SpendResponse).page.anomalies).not.toBeNull();
    expect((second.body as SpendResponse).refresh).toMatchObject({ reason: 'round' });
  });

  it('given a failure without a backoff time, then it is tried again after SPEND_RETRY_MS', async () => {
    const { app } = fakeSpend({
      page: async () => {
        const full = makeSpendPage({ now: NOW });
        return {
          ...full,
          freshness: {
            ...full.freshness,
            error: { kind: 'unreachable', message: 'Cannot reach http://127.0.0.1:9' },
          },
        };
      },
    });
    const res = await request(app).get('/api/spend').expect(200);
    expect((res.body as SpendResponse).refresh).toMatchObject({
      nextAt: NOW + SPEND_RETRY_MS,
      reason: 'retry',
    });
  });

  it('given nothing stored and Cost Explorer denied, then 503 with the ce: action to grant, and the next request tries again', async () => {
    const denied: SpendError = {
      kind: 'access-denied',
      message: 'Not authorized to perform ce:GetCostAndUsage',
      iamAction: 'ce:GetCostAndUsage',
      actions: ['Grant ce:GetCostAndUsage to the role Ballast uses'],
    };
    const { app, page } = fakeSpend({
      page: async () => {
        throw new SpendUnavailable(denied.message, denied, 'cost of 2026-11');
      },
    });
    const res = await request(app).get('/api/spend').expect(503);
    expect(res.body).toEqual({
      error: 'spend-unavailable',
      message: denied.message,
      detail: denied,
      missing: 'cost of 2026-11',
    });
    await request(app).get('/api/spend').expect(503);
    expect(page).toHaveBeenCalledTimes(2);
  });

  it('answers 404 without a spend source', async () => {
    const app = createServer({ health: async () => makeHealth({ now: NOW }), now: () => NOW });
    await request(app).get('/api/spend').expect(404);
  });
});

describe('GET /api/spend/csv/:table', () => {
  it.each(SPEND_CSV_TABLES)('exports %s as a CSV a spreadsheet opens', async (table) => {
    const { app } = fakeSpend();
    const res = await request(app).get(`/api/spend/csv/${table}?by=tag:team`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="spend-${table}-\\d{4}-\\d{2}-\\d{2}-2026-11-20\\.csv"$`),
    );
    const lines = res.text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    const header = lines[0]!.split(',');
    expect(header.every((h) => /^[a-z0-9_]+$/.test(h))).toBe(true);
    const rows = lines.slice(1, -1).map((l) => l.split(','));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toHaveLength(header.length);
  });

  it('writes the costs long: a row per day and group, ISO dates and plain dollar amounts', async () => {
    const { app } = fakeSpend();
    const res = await request(app).get('/api/spend/csv/costs?by=tag:team').expect(200);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('date,team,amount_usd,estimated');
    expect(lines.some((l) => /^2026-09-11,storefront,\d+(\.\d{1,2})?,false$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('2026-09-11,(untagged),'))).toBe(true);
    const monthly = await request(app).get('/api/spend/csv/costs-monthly?by=tag:team').expect(200);
    expect(monthly.text.split('\r\n')[0]).toBe(
      'month,first_day,last_day,team,amount_usd,estimated',
    );
    expect(monthly.text).toMatch(
      /\r\n2026-10,2026-10-01,2026-10-31,storefront,\d+(\.\d+)?,false\r\n/,
    );
  });

  it('answers 404 for a table the page does not have, saying why', async () => {
    const denied: SpendError = {
      kind: 'access-denied',
      message: 'Not authorized to perform ce:GetAnomalies',
      iamAction: 'ce:GetAnomalies',
    };
    const { app } = fakeSpend({
      page: async () => ({
        ...makeSpendPage({ now: NOW }),
        anomalies: null,
        unavailable: [{ panel: 'anomalies', error: denied }],
      }),
    });
    const res = await request(app).get('/api/spend/csv/anomalies').expect(404);
    expect(res.body.message).toBe(
      'The anomalies table is not available: Not authorized to perform ce:GetAnomalies.',
    );
    const unknown = await request(app).get('/api/spend/csv/everything').expect(404);
    expect(unknown.body.message).toMatch(/the tables are costs, costs-monthly, budgets/);
  });
});

describe('GET /api/spend/summary', () => {
  it('gives month to date against the budget, the forecast and the open anomalies', async () => {
    const { app } = fakeSpend();
    const res = await request(app).get('/api/spend/summary').expect(200);
    const summary = res.body as SpendSummary;
    expect(summary).toMatchObject({
      month: '2026-11',
      monthJustBegan: false,
      forecast: { mean: expect.any(Number), lower: expect.any(Number), basis: 'cost-explorer' },
      budget: { budgetUsd: 25_000, status: expect.stringMatching(/under|at-risk|over/) },
      anomalies: { open: 1, openImpactUsd: 1224 },
      unavailable: [],
      refresh: { reason: 'round', nextAt: NOW + SPEND_ROUND_MS },
    });
    expect(summary.budgetsAtRisk.map((b) => b.label)).toContain('team: ml');
  });

  it('on the first of a month, says the month just began and gives last month', async () => {
    const { app } = fakeSpend({ start: Date.UTC(2026, 11, 1, 1, 30) });
    const summary = (await request(app).get('/api/spend/summary').expect(200)).body as SpendSummary;
    expect(summary.month).toBe('2026-12');
    expect(summary.monthJustBegan).toBe(true);
    expect(summary.lastMonth).toMatchObject({ amount: expect.any(Number), budgetUsd: 25_000 });
  });

  it('refuses parameters', async () => {
    const { app } = fakeSpend();
    const res = await request(app).get('/api/spend/summary?month=2026-10').expect(400);
    expect(res.body.message).toMatch(/unknown parameter "month"/);
  });
});
