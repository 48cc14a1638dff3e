// The Spend page in a browser: the sandbox's bill (13 months, two planted anomalies) read
// through the real collectors, the dashboard and its web build, in headless Chromium.
// Every test opens its own page, so each passes run alone and in any order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, SHOTS } from './browser-env.js';

const PHONE = { width: 390, height: 844 };

/** The Spend page once its view has loaded. */
async function spendPage(
  open: (path: string, viewport?: typeof PHONE) => Promise<{ page: Page }>,
  path = '/spend',
  viewport?: typeof PHONE,
) {
  const { page } = await open(path, viewport);
  await page.getByTestId('spend-loaded').waitFor();
  return page;
}

describe('the Spend page, against the sandbox', { timeout: 120_000 }, () => {
  const { open } = browserSuite({}, 120_000);

  it('shows the month to date against the budget, and the month-end forecast with its band', async () => {
    const page = await spendPage(open);
    const mtd = page.getByTestId('spend-headline').getByTestId('spend-mtd');
    await mtd.waitFor();
    if ((await mtd.getAttribute('data-month-began')) === 'true') {
      // The 1st of a month: no $0, but the month just began and last month's closed total
      expect(await mtd.getByTestId('spend-month-began').textContent()).toMatch(/^\w+ just began$/);
      expect(await mtd.getByTestId('spend-last-month').textContent()).toMatch(
        /^\w+ (closed at|came to \(still estimated\)) \$[\d.,]+K?, [\d.]+% of its \$[\d.,]+K? budget\.$/,
      );
    } else {
      expect(await mtd.getByTestId('spend-mtd-amount').textContent()).toMatch(/^\$[\d.,]+K?$/);
      expect(await mtd.textContent()).toMatch(/of \$[\d.,]+K? budget/);
    }
    const forecast = page.getByTestId('spend-headline').getByTestId('spend-forecast');
    expect(await forecast.getByTestId('spend-forecast-amount').textContent()).toMatch(
      /^\$[\d.,]+K?$/,
    );
    expect(await forecast.getByTestId('spend-budget-status').textContent()).toMatch(
      /over budget|At risk|Within budget/,
    );
    expect(await forecast.getByTestId('forecast-band').count()).toBe(1);
    expect(await forecast.textContent()).toMatch(/80% likely between \$[\d.,]+K? and \$[\d.,]+K?/);
    // Ballast's own cost is always there
    expect(await page.getByTestId('spend-meter').textContent()).toMatch(/\$[\d.]+\s*today/);
    expect(await page.getByTestId('spend-freshness').textContent()).toMatch(
      /(From cache|Read from Cost Explorer).* · next refresh /,
    );
    await page.screenshot({ path: `${SHOTS}/spend.png`, fullPage: true });
  });

  it('switches the chart to the team tag, with the untagged share, and puts it in the address', async () => {
    const page = await spendPage(open);
    const chart = page.getByTestId('spend-chart');
    expect(await chart.getAttribute('data-by')).toBe('service');
    await chart.locator('.recharts-area-area').first().waitFor();

    await page.getByTestId('spend-by').selectOption('tag:team');

    await page.locator('[data-testid="spend-chart"][data-by="tag:team"]').waitFor();
    expect(new URL(page.url()).searchParams.get('by')).toBe('tag:team');
    const legend = page.getByTestId('band-legend');
    expect(await legend.textContent()).toContain('storefront');
    expect(await legend.getByTestId('band-untagged').textContent()).toMatch(
      /\(untagged\)\$[\d.,]+K?[\d.]+%/,
    );
    expect(await page.getByTestId('untagged-share').textContent()).toMatch(/carries no team tag/);
    expect(await page.getByTestId('costs-table').textContent()).toContain('storefront');

    // The address reproduces the view
    const shared = await spendPage(open, new URL(page.url()).pathname + new URL(page.url()).search);
    expect(await shared.getByTestId('spend-chart').getAttribute('data-by')).toBe('tag:team');
  });

  it('opens an anomaly from its marker on the chart: root cause, impact and dates', async () => {
    const page = await spendPage(open);
    const marks = page.getByTestId('anomaly-mark');
    await marks.first().waitFor();
    // The sandbox plants two: a forgotten GPU instance (open) and a hot-linked model
    expect(await marks.count()).toBeGreaterThanOrEqual(2);
    const open_ = page.locator('[data-testid="anomaly-mark"][data-open="true"]').first();
    const id = await open_.getAttribute('data-anomaly');

    await open_.click();

    const detail = page.getByTestId('anomaly-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-anomaly')).toBe(id);
    expect(await detail.getByTestId('anomaly-dates').textContent()).toMatch(
      /\d+ \w+ \d{4} – \d+ \w+ \d{4} \(\d+ days/,
    );
    expect(await detail.getByTestId('anomaly-impact').textContent()).toMatch(
      /^\$[\d.,]+K? above the expected \$[\d.,]+K?/,
    );
    expect(await detail.getByTestId('root-causes').textContent()).toMatch(/BoxUsage:g5\.12xlarge/);
    await page.screenshot({ path: `${SHOTS}/spend-anomaly.png`, fullPage: true });
    // Selecting it again closes it
    await open_.click();
    expect(await detail.count()).toBe(0);
  });

  it('downloads a table as CSV', async () => {
    const page = await spendPage(open);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('csv-costs').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^spend-costs-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(csv[0]).toBe('date,service,amount_usd,estimated');
    expect(csv.length).toBeGreaterThan(300);
    expect(csv[1]).toMatch(/^\d{4}-\d{2}-\d{2},[^,]+,\d+(\.\d+)?,(true|false)$/);
  });

  it('fits a phone: no sideways scroll, the headline first', async () => {
    const page = await spendPage(open, '/spend?by=tag:team', PHONE);
    await page.getByTestId('spend-chart').locator('.recharts-area-area').first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    await page.screenshot({ path: `${SHOTS}/spend-phone.png`, fullPage: true });
  });

  it('shows the month to date against the budget and the open anomalies on the Overview, linking to Spend', async () => {
    const { page } = await open('/');
    const spend = page.getByTestId('overview-spend');
    const mtd = spend.getByTestId('spend-mtd');
    await mtd.waitFor();
    expect(await mtd.textContent()).toMatch(
      /of \$[\d.,]+K? budget|just began.*of its \$[\d.,]+K? budget/,
    );
    expect(await spend.getByTestId('spend-anomalies-open').textContent()).toMatch(/^\d+$/);
    await page.screenshot({ path: `${SHOTS}/overview-spend.png`, fullPage: true });
    await spend.getByRole('link', { name: 'Spend page →' }).click();
    await page.getByTestId('spend-loaded').waitFor();
    expect(new URL(page.url()).pathname).toBe('/spend');
  });
});
