// The sale in the charts, in a browser: a sandbox whose history holds a Black Friday, the
// dashboard over it, Chromium at desktop and phone widths. Every test opens its own page.
// Needs the web build (npm run build -w @ballast/dashboard).
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, SHOTS, TIERS } from './browser-env.js';

const HOUR = 3_600_000;
/**
 * The sale started 40 to 64 hours ago (store midnight of the day, US Eastern as the sandbox
 * keeps it): three days of history hold all of it, the worker fleet's hours at its max too.
 */
const SALE_DAY = new Date(Date.now() - 40 * HOUR - 5 * HOUR).toISOString().slice(0, 10);
const PHONE = { width: 390, height: 844 };

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * What the tests read of SVG and DOM nodes inside the page. The test code is type-checked
 * with Node's libraries, not the DOM's, so the few members used are declared here (as
 * casts inside the page functions, which run in the browser and can use nothing outside).
 */
interface PageNode {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<PageNode>;
  getBBox(): Box;
  getBoundingClientRect(): { right: number };
  getTotalLength(): number;
  getPointAtLength(length: number): { x: number; y: number };
}

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** SVG boxes (in the chart's own coordinates) of the elements matching `selector`. */
function svgBoxes(chart: Locator, selector: string): Promise<(Box & { text: string })[]> {
  return chart.locator(selector).evaluateAll((elements) =>
    elements.map((e) => {
      const b = (e as unknown as PageNode).getBBox();
      return {
        x: b.x,
        y: b.y,
        width: b.width,
        height: b.height,
        text: (e as unknown as PageNode).textContent ?? '',
      };
    }),
  );
}

describe('the sale in the charts', { timeout: 120_000 }, () => {
  const { open } = browserSuite({ backfillDays: 3, blackFriday: SALE_DAY }, 150_000);

  /** The Health page for a range, once its charts have drawn. */
  async function health(path: string, viewport?: { width: number; height: number }) {
    const { page } = await open(path, viewport);
    await page.locator('[data-testid="health-loaded"][data-loaded-at]').waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    return page;
  }

  it('shows the worker fleet pinned at its max on its capacity chart', async () => {
    const page = await health('/health?range=7d&tier=workers');
    const chart = page.getByTestId('capacity-store-workers');
    await chart.locator('.recharts-line-curve').first().waitFor({ state: 'attached' });
    // Hours on end at the maximum, shaded and said in words.
    expect(Number(await chart.getAttribute('data-at-max-ms'))).toBeGreaterThan(6 * HOUR);
    const spans = await svgBoxes(chart, '[data-testid="at-max-span"]');
    expect(Math.max(...spans.map((s) => s.width))).toBeGreaterThan(30);
    expect(await chart.getByTestId('at-max-summary').textContent()).toMatch(
      /stood at its maximum for \d+[dh]/,
    );
    // In service is split into on-demand and spot, with the max line and desired drawn.
    expect(await chart.getAttribute('data-split')).toBe('distribution');
    expect(await chart.locator('.recharts-line-curve').count()).toBe(2);
    expect(await chart.getByTestId('capacity-legend').textContent()).toMatch(
      /on-demand.*spot.*desired.*max.*at max/,
    );
    // The queue's age in the same range: round hours on its axis, one unit for every tick.
    const yTicks = page
      .getByTestId('chart-workers-latency')
      .locator('.recharts-cartesian-axis-tick-value[orientation="left"]');
    await yTicks.first().waitFor();
    const ticks = await yTicks.allTextContents();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const tick of ticks) expect(tick.replace('\u00a0', ' ')).toMatch(/^\d+ h$/);
    await page.screenshot({ path: `${SHOTS}/sale-workers-7d.png`, fullPage: true });
  });

  it('shows capacity for each scaling tier and none for the others', async () => {
    const page = await health('/health?range=24h');
    await page.getByTestId('capacity-store-web').waitFor();
    await page.getByTestId('capacity-store-workers').waitFor();
    for (const tier of ['edge', 'data'])
      expect(await page.getByTestId(`tier-section-${tier}`).locator('.capacity-card').count()).toBe(
        0,
      );
    expect(
      Number(await page.getByTestId('capacity-store-web').getAttribute('data-points')),
    ).toBeGreaterThan(100);
  });

  it('counts dense scaling markers per bucket above the plot, dropping none', async () => {
    const page = await health('/health?range=7d&tier=workers');
    const chart = page.getByTestId('chart-workers-saturation');
    const marks = chart.getByTestId('activity-mark');
    await marks.first().waitFor();
    const counts = (
      await marks.evaluateAll((m) =>
        m.map((e) => (e as unknown as PageNode).getAttribute('data-count')),
      )
    ).map(Number);
    // Counted per bucket, and every activity of the range is in a count.
    expect(Math.max(...counts)).toBeGreaterThan(1);
    const total = Number(await chart.getByTestId('activity-count').getAttribute('data-count'));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
    expect(await chart.getByTestId('activity-legend').textContent()).toMatch(/counted per/);
    // Each says what it holds, as a title and as a tooltip.
    expect(await marks.first().locator('title').textContent()).toMatch(
      /\d+ (launches|terminations)|Launching|Terminating/,
    );
    const pill = marks.filter({ has: page.locator('rect[rx]') }).first();
    await pill.hover();
    expect(await chart.getByTestId('activity-tooltip').textContent()).toMatch(
      /(launches|terminations)/,
    );
    // The marks sit above the plot area, clear of the threshold labels, and apart.
    const plotTop = await chart
      .locator('.recharts-cartesian-grid')
      .evaluate((g) => (g as unknown as PageNode).getBBox().y);
    const markBoxes = await svgBoxes(
      chart,
      '[data-testid="activity-mark"] rect[rx], [data-testid="activity-mark"] path',
    );
    const labels = await svgBoxes(chart, '[data-testid="threshold-label"]');
    for (const mark of await svgBoxes(chart, '[data-testid="activity-mark"] > :not(title)'))
      expect(mark.y + mark.height).toBeLessThanOrEqual(plotTop + 0.5);
    for (const mark of markBoxes)
      for (const label of labels) expect(overlap(mark, label)).toBe(false);
  });

  it('keeps threshold labels off each other and off the series, and time labels apart', async () => {
    const page = await health('/health?range=7d');
    await page.getByTestId('capacity-store-workers').locator('.recharts-surface').waitFor();
    // One pass over every chart in the page, in its own coordinates.
    const charts = await page.locator('figure.chart-card').evaluateAll((figures) =>
      figures.map((element) => {
        const figure = element as unknown as PageNode;
        const box = (e: PageNode) => {
          const b = e.getBBox();
          return { x: b.x, y: b.y, width: b.width, height: b.height, text: e.textContent ?? '' };
        };
        const labels = [...figure.querySelectorAll('[data-testid="threshold-label"]')].map(box);
        // The plotted line, sampled along its length: which labels does it run through?
        const crossed = new Set<string>();
        for (const line of figure.querySelectorAll('.recharts-line-curve, .recharts-area-curve')) {
          const length = line.getTotalLength();
          for (let i = 0; i <= 600 && labels.length > 0; i++) {
            const p = line.getPointAtLength((length * i) / 600);
            for (const l of labels)
              if (p.x > l.x && p.x < l.x + l.width && p.y > l.y && p.y < l.y + l.height)
                crossed.add(l.text);
          }
        }
        const ticks = [
          ...figure.querySelectorAll('.recharts-cartesian-axis-tick-value[orientation="bottom"]'),
        ].map(box);
        return { name: figure.getAttribute('data-testid'), labels, crossed: [...crossed], ticks };
      }),
    );
    expect(charts.length).toBeGreaterThanOrEqual(14);
    for (const { name, labels, crossed, ticks } of charts) {
      for (let i = 0; i < labels.length; i++)
        for (let j = i + 1; j < labels.length; j++)
          expect(
            overlap(labels[i]!, labels[j]!),
            `${name}: ${labels[i]!.text} / ${labels[j]!.text}`,
          ).toBe(false);
      expect(crossed, `${name}: labels the series runs through`).toEqual([]);
      for (let i = 1; i < ticks.length; i++)
        expect(ticks[i]!.x, `${name}: ${ticks[i - 1]!.text} / ${ticks[i]!.text}`).toBeGreaterThan(
          ticks[i - 1]!.x + ticks[i - 1]!.width,
        );
    }
    const labelled = charts.reduce((n, c) => n + c.labels.length, 0);
    expect(labelled, 'threshold labels drawn on the Health page').toBeGreaterThan(3);
    expect(Math.min(...charts.map((c) => c.ticks.length)), 'time ticks per chart').toBeGreaterThan(
      2,
    );
  });

  it('notes SLO lines that are off the scale, as it does alarms', async () => {
    const page = await health('/health?range=1h&tier=edge');
    // The CDN's 5xx rate is a few hundredths of a percent; its 1% and 5% SLO lines are far above.
    const legend = page.getByTestId('chart-edge-errors').getByTestId('chart-legend');
    const notes = await legend.getByTestId('slo-note').allTextContents();
    expect(notes.join(' ')).toMatch(/critical 5% \(off scale\).*1% \(off scale\)/);
  });

  it.each([
    ['Overview', '/', 'tier-card-workers'],
    ['Health', '/health?range=7d', 'capacity-store-workers'],
  ])('fits the %s page on a 390 px phone: no sideways scrolling', async (name, path, testId) => {
    const { page } = await open(path, PHONE);
    await page.getByTestId(testId).waitFor();
    if (name === 'Health') await page.locator('.recharts-surface').first().waitFor();
    else for (const tier of TIERS) await page.getByTestId(`tier-card-${tier}`).waitFor();
    const { scrollWidth, clientWidth } = await page.evaluate(() => {
      type Scrolling = { scrollWidth: number; clientWidth: number };
      const { document } = globalThis as unknown as { document: { scrollingElement: Scrolling } };
      const { scrollWidth, clientWidth } = document.scrollingElement;
      return { scrollWidth, clientWidth };
    });
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    // Every card fits the screen too.
    const widest = await page
      .locator('.card')
      .evaluateAll((cards) =>
        Math.max(...cards.map((c) => (c as unknown as PageNode).getBoundingClientRect().right)),
      );
    expect(widest).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({
      path: `${SHOTS}/sale-phone-${name.toLowerCase()}.png`,
      fullPage: true,
    });
  });
});
