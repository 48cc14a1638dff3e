import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlatformHealth } from '@ballast/core';
import { makeHealth } from '../../test/health-fixture.js';
import type { DashboardMeta, HealthSummary } from './api.js';
import { downsampleHealth } from './downsample.js';
import { createServer, reuseMs, type DashboardDeps, type HealthRequest } from './server.js';

// The real downsampling, counted: how often /api/health renders a collection.
vi.mock('./downsample.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./downsample.js')>();
  return { ...original, downsampleHealth: vi.fn(original.downsampleHealth) };
});
const renders = vi.mocked(downsampleHealth);

const HOUR = 3_600_000;
const T0 = 1_700_000_000_000;

/** A fake collector that records its calls; the clock is advanced by the test. */
function fakeHealth(overrides: Partial<DashboardDeps> = {}) {
  let clock = T0;
  const calls: HealthRequest[] = [];
  const health = vi.fn(async (q: HealthRequest): Promise<PlatformHealth> => {
    calls.push(q);
    return makeHealth({
      now: clock,
      pointsPerSignal: Math.min(q.sinceMs / 60_000, 2_000),
      ...(q.tier ? { tiers: [q.tier] } : {}),
    });
  });
  const deps: DashboardDeps = { health, now: () => clock, ...overrides };
  return {
    app: createServer(deps),
    calls,
    health,
    advance: (ms: number) => (clock += ms),
  };
}

describe('GET /api/health', () => {
  it('returns the collected health with every series downsampled to `width` points', async () => {
    const { app, calls } = fakeHealth();
    const res = await request(app).get('/api/health?range=24h&width=120').expect(200);
    expect(calls).toEqual([{ sinceMs: 24 * HOUR }]);
    const body = res.body as PlatformHealth;
    expect(body.tiers.map((t) => t.tier)).toEqual(['edge', 'web', 'workers', 'data']);
    for (const tier of body.tiers) for (const s of tier.signals) expect(s.points).toHaveLength(120);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('defaults to the last hour and passes the tier through', async () => {
    const { app, calls } = fakeHealth();
    const res = await request(app).get('/api/health?tier=web').expect(200);
    expect(calls).toEqual([{ sinceMs: HOUR, tier: 'web' }]);
    expect((res.body as PlatformHealth).tiers.map((t) => t.tier)).toEqual(['web']);
  });

  it.each([
    ['range=2h', /range must be one of 1h, 6h, 24h, 7d, 14d/],
    ['range=1h&range=6h', /range must be one of/],
    ['width=wide', /width must be a number/],
    ['width=3', /width must be at least 10/],
    ['width=12.5', /whole number/],
    ['width=100000', /at most 5000/],
    ['tier=Web%20Tier', /tier must be a tier id/],
    ['rnage=1h', /unknown parameter "rnage" \(allowed: range, tier, width\)/],
  ])('rejects ?%s with a 400 that says what to fix', async (query, message) => {
    const { app, health } = fakeHealth();
    const res = await request(app).get(`/api/health?${query}`).expect(400);
    expect(res.body.error).toBe('bad-request');
    expect(res.body.message).toMatch(message);
    expect(health).not.toHaveBeenCalled();
  });

  it('reuses a result for the same range and tier until it is a few seconds old', async () => {
    const { app, calls, advance } = fakeHealth({ cacheSeconds: 5 });
    await request(app).get('/api/health?range=1h&width=50').expect(200);
    await request(app).get('/api/health?range=1h&width=300').expect(200);
    expect(calls).toHaveLength(1);

    await request(app).get('/api/health?range=1h&tier=web').expect(200);
    await request(app).get('/api/health?range=6h').expect(200);
    expect(calls).toHaveLength(3);

    advance(5_000);
    await request(app).get('/api/health?range=1h&width=50').expect(200);
    expect(calls).toHaveLength(4);
  });

  it.each([
    { range: '1h', reusedMs: 5_000 },
    { range: '6h', reusedMs: 30_000 },
    { range: '24h', reusedMs: 120_000 },
    { range: '7d', reusedMs: 300_000 },
    { range: '14d', reusedMs: 300_000 },
  ] as const)(
    'reuses a $range collection for $reusedMs ms: no longer than one pixel of its chart stands for, at most 5 minutes',
    async ({ range, reusedMs }) => {
      // Given the default reuse of 5 s for the live hour
      const { app, calls, advance } = fakeHealth();
      expect(reuseMs(range, 5_000)).toBe(reusedMs);
      await request(app).get(`/api/health?range=${range}`).expect(200);
      // When viewers keep asking until just before it expires, then it is collected once
      advance(reusedMs - 1);
      await request(app).get(`/api/health?range=${range}&width=900`).expect(200);
      expect(calls).toHaveLength(1);
      // And once it has expired, it is collected again
      advance(1);
      await request(app).get(`/api/health?range=${range}`).expect(200);
      expect(calls).toHaveLength(2);
    },
  );

  it('renders each (range, tier, width) once for as long as its collection is reused', async () => {
    // Given a collection of 7 days, which is reused for 5 minutes
    const { app, calls, advance } = fakeHealth({ cacheSeconds: 5 });
    renders.mockClear();
    // When many viewers ask for the same range, tier and width
    const first = await request(app).get('/api/health?range=7d&width=600').expect(200);
    for (let i = 0; i < 5; i++) {
      const again = await request(app).get('/api/health?range=7d&width=600').expect(200);
      expect(again.text).toBe(first.text);
    }
    // Then it is collected and rendered once, with the same JSON type as before
    expect(calls).toHaveLength(1);
    expect(renders).toHaveBeenCalledTimes(1);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    // And each other width or tier is rendered once too
    await request(app).get('/api/health?range=7d&width=300').expect(200);
    await request(app).get('/api/health?range=7d&width=300').expect(200);
    await request(app).get('/api/health?range=7d&width=600&tier=web').expect(200);
    expect(renders).toHaveBeenCalledTimes(3);
    // And a new collection is rendered afresh
    advance(300_000);
    const fresh = await request(app).get('/api/health?range=7d&width=600').expect(200);
    expect(renders).toHaveBeenCalledTimes(4);
    expect((fresh.body as PlatformHealth).evaluatedAt).toBeGreaterThan(
      (first.body as PlatformHealth).evaluatedAt,
    );
  });

  it('lets simultaneous requests share one collection', async () => {
    const { app, calls } = fakeHealth();
    await Promise.all(Array.from({ length: 8 }, () => request(app).get('/api/health?range=7d')));
    expect(calls).toHaveLength(1);
  });

  it('does not cache a failure', async () => {
    const { app, health } = fakeHealth();
    health.mockRejectedValueOnce(new Error('Platform config /x.yaml: tiers: required'));
    const failed = await request(app).get('/api/health').expect(500);
    expect(failed.body).toEqual({
      error: 'health-unavailable',
      message: 'Platform config /x.yaml: tiers: required',
    });
    await request(app).get('/api/health').expect(200);
    expect(health).toHaveBeenCalledTimes(2);
  });

  it('answers 4xx when the collector blames the request (e.g. an unknown tier)', async () => {
    const { app, health } = fakeHealth();
    health.mockRejectedValueOnce(
      Object.assign(new Error('Unknown tier "api"; tiers are edge, web, workers, data'), {
        status: 400,
      }),
    );
    const res = await request(app).get('/api/health?tier=api').expect(400);
    expect(res.body.message).toMatch(/Unknown tier "api"/);
  });
});

describe('GET /api/meta', () => {
  it('names the context, endpoint, platform and version', async () => {
    const { app } = fakeHealth({
      meta: { context: 'sandbox', endpoint: 'http://127.0.0.1:4566' },
      refreshSeconds: 7,
    });
    const res = await request(app).get('/api/meta').expect(200);
    const meta = res.body as DashboardMeta;
    expect(meta).toEqual({
      context: 'sandbox',
      endpoint: 'http://127.0.0.1:4566',
      platform: '3d-store',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      refreshSeconds: 7,
    });
  });

  it('answers unknown API routes with a JSON 404 listing the real ones', async () => {
    const { app } = fakeHealth();
    const res = await request(app).get('/api/healthz').expect(404);
    expect(res.body.message).toMatch(/\/api\/health, \/api\/events or \/api\/meta/);
  });
});

describe('security', () => {
  it('sends protective headers and hides the framework', async () => {
    const { app } = fakeHealth();
    const res = await request(app).get('/api/meta');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  describe('without a token', () => {
    it.each(['127.0.0.1:7300', 'localhost:7300', '[::1]:7300'])('answers Host %s', async (host) => {
      const { app } = fakeHealth();
      await request(app).get('/api/meta').set('Host', host).expect(200);
    });

    it.each(['127.evil.com:7300', 'localhost.evil.com', '127.0.0.1.nip.io:7300'])(
      'refuses Host %s, a DNS name like any other',
      async (host) => {
        const { app } = fakeHealth();
        await request(app).get('/api/meta').set('Host', host).expect(403);
      },
    );

    it('refuses a write from a web page elsewhere (a cross-site form)', async () => {
      const { app } = fakeHealth();
      await request(app)
        .post('/api/health')
        .set('Host', '127.0.0.1:7300')
        .set('Origin', 'https://evil.example')
        .expect(403);
    });

    it('refuses other host names, so a rebinding web page cannot read it', async () => {
      const { app, health } = fakeHealth();
      const res = await request(app)
        .get('/api/health')
        .set('Host', 'evil.example:7300')
        .expect(403);
      expect(res.text).toMatch(/BALLAST_DASHBOARD_TOKEN/);
      expect(health).not.toHaveBeenCalled();
    });
  });

  describe('with a token', () => {
    const token = 's3cret-token-for-tests';

    it('rejects requests without it, as JSON for the API and text for pages', async () => {
      const { app, health } = fakeHealth({ token });
      const api = await request(app).get('/api/health').expect(401);
      expect(api.body.message).toMatch(/Authorization: Bearer/);
      expect(api.headers['www-authenticate']).toMatch(/Bearer/);
      const page = await request(app).get('/').expect(401);
      expect(page.text).toMatch(/needs your token/);
      await request(app).get('/api/health').set('Authorization', 'Bearer wrong').expect(401);
      await request(app).get('/api/health?token=wrong').expect(401);
      await request(app).get('/api/health').set('Cookie', 'ballast_token=wrong').expect(401);
      expect(health).not.toHaveBeenCalled();
    });

    it('accepts a Bearer header from any host', async () => {
      const { app } = fakeHealth({ token });
      await request(app)
        .get('/api/health')
        .set('Host', 'ops.example:7300')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
    });

    it('never reads the token from the URL of an API call (it would sit in logs and history)', async () => {
      const { app, health } = fakeHealth({ token });
      for (const path of ['/api/meta', '/api/health', '/api/events']) {
        const res = await request(app).get(`${path}?token=${token}`).expect(401);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(health).not.toHaveBeenCalled();
    });

    it('answers a page without it with the sign-in form, which posts the token in its body', async () => {
      const { app } = fakeHealth({ token });
      const page = await request(app).get('/health?range=6h').expect(401);
      expect(page.headers['content-type']).toMatch(/html/);
      expect(page.text).toMatch(/<form method="post" action="\/signin">/);
      expect(page.text).toMatch(/type="password"/);
      expect(page.text).toContain('name="next" value="/health?range=6h"');
      // What the form needs comes without signing in; nothing else does.
      await request(app)
        .get('/signin.css')
        .expect((r) => expect(r.status).not.toBe(401));
    });

    it('signs a browser in from the form: its API calls and live feed use the cookie', async () => {
      const { app } = fakeHealth({ token, refreshSeconds: 0.1 });
      const signIn = await request(app)
        .post('/signin')
        .set('Origin', 'http://127.0.0.1')
        .set('Host', '127.0.0.1')
        .type('form')
        .send({ token, next: '/health?range=6h' })
        .expect(303);
      expect(signIn.headers.location).toBe('/health?range=6h');
      const setCookie = String(signIn.headers['set-cookie']);
      expect(setCookie).toMatch(/ballast_token=/);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      const cookie = setCookie.split(';')[0]!;
      // Then its API calls are answered with the cookie alone
      await request(app).get('/api/health').set('Cookie', cookie).expect(200);
      // And its EventSource, which cannot send headers, gets the live feed
      const stream = await openStream(app, { headers: { cookie } });
      try {
        expect(stream.response.statusCode).toBe(200);
        await stream.waitFor((frames) => healthFrames(frames).length >= 1);
      } finally {
        await stream.close();
      }
    });

    it('never takes a token from an address: ?token= on a page signs nobody in', async () => {
      const { app } = fakeHealth({ token });
      const res = await request(app).get(`/?token=${token}`).expect(401);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.text).toMatch(/<form/);
    });

    it('refuses a wrong token, a form posted from another site and a return address elsewhere', async () => {
      const { app } = fakeHealth({ token });
      const wrong = await request(app)
        .post('/signin')
        .type('form')
        .send({ token: 'nope' })
        .expect(401);
      expect(wrong.text).toMatch(/not one of this dashboard/);
      expect(wrong.headers['set-cookie']).toBeUndefined();
      await request(app)
        .post('/signin')
        .set('Origin', 'https://evil.example')
        .type('form')
        .send({ token })
        .expect(403);
      for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
        const res = await request(app)
          .post('/signin')
          .type('form')
          .send({ token, next })
          .expect(303);
        expect(res.headers.location).toBe('/');
      }
      const big = await request(app)
        .post('/signin')
        .type('form')
        .send({ token: 'x'.repeat(10_000) });
      expect(big.status).toBe(413);
    });
  });
});

describe('web build', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ballast-web-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves files, hashed assets for good, and index.html for app routes', async () => {
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    const { app } = fakeHealth({ staticDir: dir });

    const asset = await request(app).get('/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    for (const route of ['/', '/health', '/health?range=7d']) {
      const page = await request(app).get(route).expect(200);
      expect(page.text).toContain('<div id="root">');
      expect(page.headers['cache-control']).toBe('no-cache');
    }
    await request(app).get('/api/nope').expect(404);
  });

  it('says how to build the web app when it is missing', async () => {
    const { app } = fakeHealth({ staticDir: dir });
    const res = await request(app).get('/').expect(503);
    expect(res.text).toMatch(/npm run build -w @ballast\/dashboard/);
  });
});

/** Opens the event stream on a listening copy of the app and collects what arrives. */
async function openStream(
  app: ReturnType<typeof createServer>,
  { path = '/api/events', headers = {} }: { path?: string; headers?: Record<string, string> } = {},
) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  let buffer = '';
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers }, resolve).on('error', reject);
  });
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (buffer += chunk));
  return {
    response,
    text: () => buffer,
    /** complete frames so far, comments included */
    frames: () => buffer.split('\n\n').slice(0, -1),
    waitFor: async (predicate: (frames: string[]) => boolean, timeoutMs = 15_000) => {
      const started = Date.now();
      while (!predicate(buffer.split('\n\n').slice(0, -1))) {
        if (Date.now() - started > timeoutMs)
          throw new Error(`stream did not match in time; got:\n${buffer}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: async () => {
      response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const healthFrames = (frames: string[]) => frames.filter((f) => f.startsWith('event: health\n'));

describe('GET /api/events', () => {
  it('streams a health summary at once and then every refresh, with keep-alives', async () => {
    const { app, advance, calls } = fakeHealth({
      refreshSeconds: 0.1,
      cacheSeconds: 0,
      keepAliveSeconds: 0.05,
    });
    const stream = await openStream(app);
    try {
      expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.response.headers['cache-control']).toMatch(/no-store/);

      const summaries = (frames: string[]) =>
        healthFrames(frames).map((frame) => {
          const lines = frame.split('\n');
          expect(lines).toHaveLength(3);
          expect(lines[1]).toMatch(/^id: \d+$/);
          expect(lines[2]).toMatch(/^data: \{/);
          return JSON.parse(lines[2]!.slice('data: '.length)) as HealthSummary;
        });
      await stream.waitFor((frames) => healthFrames(frames).length >= 1);
      advance(60_000);
      // On a busy machine the refresh timer may publish T0 again before the clock moves:
      // wait for the refresh that saw the new time, whichever frame that is.
      await stream.waitFor(
        (frames) =>
          summaries(frames).some((s) => s.evaluatedAt > T0) && frames.includes(': keep-alive'),
      );

      const frames = stream.frames();
      expect(frames[0]).toBe('retry: 5000');
      const [first, ...later] = summaries(frames);
      expect(first!.evaluatedAt).toBe(T0);
      expect(later.at(-1)!.evaluatedAt).toBeGreaterThan(T0);
      expect(first!.tiers.map((t) => [t.tier, t.status])).toEqual([
        ['edge', 'ok'],
        ['web', 'ok'],
        ['workers', 'ok'],
        ['data', 'ok'],
      ]);
      expect(first!.latestActivities.map((a) => a.group)).toEqual(['store-web']);
      const signal = first!.tiers[1]!.signals[0]!;
      expect(signal.trend.length).toBeLessThanOrEqual(48);
      expect(signal).not.toHaveProperty('points');
      expect(calls.every((c) => c.sinceMs === HOUR && c.tier === undefined)).toBe(true);
    } finally {
      await stream.close();
    }
  });

  it('answers HEAD with the headers only, without subscribing to the feed', async () => {
    const { app, health } = fakeHealth({ refreshSeconds: 0.05, cacheSeconds: 0 });
    const res = await request(app).head('/api/events').expect(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(health).not.toHaveBeenCalled();
  });

  it('stops collecting once the last client disconnects', async () => {
    const { app, health } = fakeHealth({ refreshSeconds: 0.05, cacheSeconds: 0 });
    const stream = await openStream(app);
    await stream.waitFor((frames) => healthFrames(frames).length >= 2);
    await stream.close();
    const callsAtClose = health.mock.calls.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(health.mock.calls.length).toBeLessThanOrEqual(callsAtClose + 1);
  });

  it('reports a failed collection as a health-error event and keeps streaming', async () => {
    const { app, health } = fakeHealth({ refreshSeconds: 0.05, cacheSeconds: 0 });
    health.mockRejectedValueOnce(new Error('could not load the platform config'));
    const stream = await openStream(app);
    try {
      await stream.waitFor((frames) => healthFrames(frames).length >= 1);
      const errorFrame = stream.frames().find((f) => f.startsWith('event: health-error\n'));
      expect(errorFrame).toBeDefined();
      expect(JSON.parse(errorFrame!.split('\n')[1]!.slice('data: '.length))).toEqual({
        message: 'could not load the platform config',
        at: T0,
      });
    } finally {
      await stream.close();
    }
  });
});
