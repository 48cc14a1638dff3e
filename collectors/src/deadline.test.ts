// Nothing waits forever: against an endpoint that accepts connections and never answers,
// each request and each whole collection end by their deadline, with a clear reason.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { HEALTH_SOURCES, openStore, type ResolvedContext, type Store } from '@ballast/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from './clients.js';
import { classifyAwsError } from './errors.js';
import { collectAlarms, collectHealth } from './health.js';
import { Meter } from './metering.js';
import {
  sandboxContextAt,
  silentEndpoint,
  storeHistory,
  type SilentEndpoint,
} from './testing/index.js';

const HOUR = 3_600_000;
/** Long enough that a hang is a hang, short enough to keep the suite fast. */
const SETTLES_WITHIN_MS = 20_000;

let silent: SilentEndpoint;
let context: ResolvedContext;
let store: Store;

beforeAll(async () => {
  silent = await silentEndpoint();
  context = sandboxContextAt(silent.url);
});
afterAll(() => silent.close());
beforeEach(() => {
  store = openStore(mkdtempSync(join(tmpdir(), 'ballast-deadline-')));
});
afterEach(() => store.close());

/** `promise`, or a rejection saying it hung: the test asserts an outcome, not a duration. */
function settled<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('still waiting: it hangs')), SETTLES_WITHIN_MS);
  });
  return Promise.race([promise, hung]).finally(() => clearTimeout(timer));
}

describe('the per-request timeout', () => {
  it('given an endpoint that never answers, then a request without any deadline of its own fails as timed out', async () => {
    const { cloudwatch } = createAwsClients(context, new Meter(store, context.name, Date.now), {
      requestTimeoutMs: 200,
    });

    const error = await settled(cloudwatch.send(new DescribeAlarmsCommand({}))).catch(
      (err: unknown) => err,
    );

    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(classifyAwsError(error, 'cloudwatch', 'DescribeAlarms', context)).toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining('(timed out)'),
    });
    // every attempt went out (the SDK retried the timeouts) and was metered
    expect(store.callLedger().totals).toMatchObject({ requests: 3, errors: 3 });
  });
});

describe('the deadline of a collection', () => {
  it('given an endpoint that never answers, then collectHealth settles at its deadline with every source timed out, and serves stored history', async () => {
    const now = Date.now();
    const stored = { t: now - 10 * 60_000, v: 42 };
    storeHistory(store, context, HOUR, [stored]);

    const health = await settled(
      collectHealth({ context, store, now, sinceMs: HOUR, timeoutMs: 500 }),
    );

    expect(health.sources.map((s) => s.source)).toEqual([
      HEALTH_SOURCES.metrics,
      HEALTH_SOURCES.alarms,
      HEALTH_SOURCES.autoscaling,
    ]);
    for (const source of health.sources)
      expect(source).toMatchObject({
        ok: false,
        error: {
          kind: 'unreachable',
          message: expect.stringMatching(
            new RegExp(
              `^Cannot reach ${silent.url} for \\w+ \\(timed out\\): no answer within 0\\.5 s$`,
            ),
          ),
          actions: ['Start the sandbox in another terminal: ballast sandbox', expect.any(String)],
          retryAt: expect.any(Number),
        },
      });
    const traffic = health.tiers.find((t) => t.tier === 'web')?.signals[0];
    expect(traffic).toMatchObject({ signal: 'traffic', points: [stored] });
  });

  it('given an endpoint that never answers, then collectAlarms settles at its deadline as unreachable', async () => {
    const { alarms, source } = await settled(
      collectAlarms({ context, store, now: Date.now(), timeoutMs: 300 }),
    );
    expect(alarms).toEqual([]);
    expect(source.error).toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining('(timed out): no answer within 0.3 s'),
    });
  });

  it('given the caller aborts (Ctrl-C), then the collection settles at once', async () => {
    const stop = new AbortController();
    const collecting = collectHealth({
      context,
      store,
      now: Date.now(),
      sinceMs: HOUR,
      signal: stop.signal,
    });
    stop.abort();
    const health = await settled(collecting);
    expect(health.sources.every((s) => !s.ok)).toBe(true);
  });
});
