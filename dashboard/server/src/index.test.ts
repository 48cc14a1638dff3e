// startDashboard with the real collectors against an endpoint that accepts connections
// and never answers: the page's API and the live feed still answer, within the deadline,
// with stored history marked stale.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  sandboxContextAt,
  silentEndpoint,
  storeHistory,
  type SilentEndpoint,
} from '@ballast/collectors/testing';
import { openStore, type PlatformHealth, type Store } from '@ballast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HealthSummary } from './api.js';
import { startDashboard, type RunningDashboard } from './index.js';

const HOUR = 3_600_000;

let silent: SilentEndpoint;
let stateDir: string;
let store: Store;
let dashboard: RunningDashboard | undefined;
const stored = { t: Date.now() - 10 * 60_000, v: 42 };

beforeEach(async () => {
  silent = await silentEndpoint();
  stateDir = mkdtempSync(path.join(tmpdir(), 'ballast-dashboard-deadline-'));
  store = openStore(stateDir);
  // History from an earlier, healthy collection.
  storeHistory(store, sandboxContextAt(silent.url), HOUR, [stored]);
});
afterEach(async () => {
  await dashboard?.close();
  dashboard = undefined;
  store.close();
  await silent.close();
  rmSync(stateDir, { recursive: true, force: true });
});

async function start(options: { refreshSeconds?: number } = {}): Promise<RunningDashboard> {
  const context = sandboxContextAt(silent.url);
  dashboard = await startDashboard({ port: 0, context, store, timeoutMs: 500, ...options });
  return dashboard;
}

/** Every source failed as timed out, with the advice and when the next try is. */
function expectTimedOut(sources: PlatformHealth['sources']): void {
  expect(sources).toHaveLength(3);
  for (const source of sources)
    expect(source).toMatchObject({
      ok: false,
      error: {
        kind: 'unreachable',
        message: expect.stringContaining('(timed out): no answer within 0.5 s'),
        actions: ['Start the sandbox in another terminal: ballast sandbox', expect.any(String)],
        retryAt: expect.any(Number),
      },
    });
}

describe('startDashboard against an endpoint that never answers', () => {
  it('then /api/health answers by the deadline with stored history, marked stale by its failed sources', async () => {
    const { url } = await start();
    const response = await fetch(`${url}api/health?range=1h&tier=web`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as PlatformHealth;
    expectTimedOut(health.sources);
    const web = health.tiers.find((t) => t.tier === 'web');
    expect(web?.status).toBe('unknown');
    expect(web?.signals[0]?.points).toEqual([stored]);
    expect(web?.reasons[0]).toMatch(/charts show stored history \(newest datapoint \d+\w+ old\)$/);
  });

  it('then the live feed keeps ticking, each frame saying why the data is stale', async () => {
    const { url } = await start({ refreshSeconds: 1 });
    const stop = new AbortController();
    const response = await fetch(`${url}api/events`, { signal: stop.signal });
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    const frames: HealthSummary[] = [];
    let buffer = '';
    while (frames.length < 3 && reader) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      // Frames end with a blank line; the last piece may be the start of the next one.
      const pieces = buffer.split('\n\n');
      buffer = pieces.pop() ?? '';
      for (const frame of pieces) {
        const data = /^event: health\n(?:id: .*\n)?data: (.*)$/.exec(frame)?.[1];
        if (data) frames.push(JSON.parse(data) as HealthSummary);
      }
    }
    stop.abort();

    expect(frames).toHaveLength(3);
    for (const frame of frames) expectTimedOut(frame.sources);
    expect(frames[2]?.evaluatedAt).toBeGreaterThan(frames[0]?.evaluatedAt ?? Infinity);
  }, 30_000);
});
