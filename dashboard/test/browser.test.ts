// End to end: the real sandbox, the real collectors, the dashboard server and its web build,
// driven in headless Chromium. Needs the web build (npm run build -w @ballast/dashboard).
// Every test opens its own page, so each passes run alone (`-t`) and in any order.
import { describe, expect, it } from 'vitest';
import { browserSuite, SHOTS, TIERS } from './browser-env.js';

describe('dashboard in a browser, against the sandbox', { timeout: 120_000 }, () => {
  /** A fresh page; after the test it must have logged no console error or CSP violation. */
  const { open, env } = browserSuite();

  it('shows one card per tier with a status on the Overview', async () => {
    const { page } = await open('/');
    for (const tier of TIERS) {
      const card = page.getByTestId(`tier-card-${tier}`);
      await card.waitFor();
      expect(await card.getAttribute('data-status')).toMatch(/^(ok|degraded|critical|unknown)$/);
      expect(await page.getByTestId(`tier-status-${tier}`).textContent()).toMatch(
        /Healthy|Degraded|Critical|Unknown/,
      );
    }
    // The web tier's big numbers come from real CloudWatch data.
    const webTraffic = await page.getByTestId('signal-web-traffic').locator('.num').textContent();
    expect(webTraffic).toMatch(/\d/);
    await expect
      .poll(() => page.getByTestId('live-indicator').getAttribute('data-state'))
      .toBe('live');
    await page.getByTestId('capacity-panel').getByTestId('group-store-web').waitFor();
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });
  });

  it('reaches the Health page from the Overview', async () => {
    const { page } = await open('/');
    await page.getByRole('link', { name: 'Health' }).click();
    await page.getByTestId('chart-web-traffic').waitFor();
    expect(new URL(page.url()).pathname).toBe('/health');
  });

  it('charts every tier on the Health page, with SLO and alarm thresholds', async () => {
    const { page } = await open('/health');
    const latency = page.getByTestId('chart-web-latency').locator('.recharts-line-curve');
    await latency.waitFor();
    // A path through ~60 one-minute points is long; an empty or two-point chart is not.
    expect((await latency.getAttribute('d'))!.length).toBeGreaterThan(400);
    for (const tier of TIERS) {
      const traffic = page.getByTestId(`chart-${tier}-traffic`);
      await traffic.locator('.recharts-area-curve').waitFor();
      expect(Number(await traffic.getAttribute('data-points'))).toBeGreaterThan(30);
      expect(
        (await traffic.locator('.recharts-area-curve').getAttribute('d'))!.length,
      ).toBeGreaterThan(400);
    }
    // SLO thresholds are drawn on the chart.
    expect(
      await page.getByTestId('chart-web-latency').locator('.recharts-reference-line').count(),
    ).toBeGreaterThan(0);
    // So are the sandbox's CloudWatch alarm thresholds: the ALB p99 alarm on latency, target
    // tracking's scale-out and scale-in on CPU; the legend says what the lines are.
    const webAlarmLines = page
      .getByTestId('chart-web-latency')
      .or(page.getByTestId('chart-web-saturation'))
      .getByTestId('alarm-line');
    expect(await webAlarmLines.count()).toBeGreaterThan(0);
    expect(
      await page.getByTestId('chart-web-saturation').getByTestId('chart-legend').textContent(),
    ).toMatch(/alarms?:.*scale-out/);
    await page.screenshot({ path: `${SHOTS}/health.png`, fullPage: true });
  });

  it('loads a longer range when the range picker changes', async () => {
    const { page } = await open('/health');
    await page.locator('[data-testid="health-loaded"][data-range="1h"]').waitFor();
    const traffic = page.getByTestId('chart-web-traffic');
    await traffic.locator('.recharts-area-curve').waitFor();
    const before = Number(await traffic.getAttribute('data-points'));
    const pathBefore = await traffic.locator('.recharts-area-curve').getAttribute('d');
    expect(before).toBeGreaterThan(30);

    await page.getByTestId('range-24h').click();
    await page.locator('[data-testid="health-loaded"][data-range="24h"]').waitFor();
    expect(page.url()).toMatch(/range=24h/);
    const after = Number(await traffic.getAttribute('data-points'));
    // One day of one-minute points, downsampled to about one per pixel.
    expect(after).toBeGreaterThan(before * 3);
    expect(await traffic.locator('.recharts-area-curve').getAttribute('d')).not.toBe(pathBefore);
  });

  it('receives live updates over server-sent events', async () => {
    const { page } = await open('/');
    const updated = page.getByTestId('last-updated');
    await updated.waitFor();
    const first = await updated.getAttribute('data-evaluated-at');
    await expect
      .poll(() => updated.getAttribute('data-evaluated-at'), { timeout: 20_000 })
      .not.toBe(first);
    expect(await page.getByTestId('live-indicator').getAttribute('data-state')).toBe('live');
  });

  it('given alarms denied and metrics throttled, then alarms read as unknown (not 0), the header turns stale with the age of the data, and each failure is said once', async () => {
    const setFaults = async (rules: object[]) => {
      const res = await fetch(`${env().sandbox.url}/_sandbox/faults`, {
        method: rules.length ? 'POST' : 'DELETE',
        headers: { 'content-type': 'application/json' },
        ...(rules.length ? { body: JSON.stringify({ rules }) } : {}),
      });
      expect(res.ok).toBe(true);
    };
    const { page } = await open('/');
    const live = page.getByTestId('live-indicator');
    // A good collection first, so there is stored history to fall back on.
    await expect.poll(() => live.getAttribute('data-state'), { timeout: 30_000 }).toBe('live');
    try {
      await setFaults([
        { service: 'cloudwatch', operation: 'GetMetricData', kind: 'throttle', rate: 1 },
        { service: 'cloudwatch', operation: 'DescribeAlarms', kind: 'access-denied', rate: 1 },
      ]);
      const detail = page.getByTestId('live-detail');
      await expect
        .poll(async () => ((await detail.count()) ? detail.textContent() : ''), { timeout: 45_000 })
        .toMatch(/^metrics throttled, data \d+ (s|min) old; alarms access denied$/);
      expect(await live.getAttribute('data-state')).toBe('stale');

      // Unknown is not zero.
      const alarms = page.getByTestId('alarms-panel');
      expect(await alarms.getByTestId('alarms-count').textContent()).toBe('?');
      expect(await alarms.getByTestId('alarms-unknown').textContent()).toContain('access denied');

      // One banner per failed source, with the age of the data shown instead...
      expect(await page.getByTestId('source-banner-cloudwatch-metrics').count()).toBe(1);
      expect(await page.getByTestId('source-banner-cloudwatch-alarms').count()).toBe(1);
      expect(
        await page
          .getByTestId('source-banner-cloudwatch-metrics')
          .getByTestId('source-age')
          .textContent(),
      ).toMatch(/Showing stored data, \d+ (s|min) old\./);
      // ...and the cards only say "stale", without repeating why.
      for (const tier of TIERS) {
        const card = page.getByTestId(`tier-card-${tier}`);
        expect(await card.getByTestId(`tier-stale-${tier}`).textContent()).toMatch(
          /^stale · \d+ (s|min) oldalarms unknown$/,
        );
        expect(await card.locator('.reasons').getByText('unavailable').count()).toBe(0);
      }
      await page.screenshot({ path: `${SHOTS}/overview-sources-failing.png`, fullPage: true });
    } finally {
      await setFaults([]);
      // The next test starts from a live feed again.
      await expect.poll(() => live.getAttribute('data-state'), { timeout: 60_000 }).toBe('live');
    }
    expect(
      await page.getByTestId('alarms-panel').getByTestId('alarms-count').textContent(),
    ).toMatch(/^\d+$/);
  }, 150_000);
});
