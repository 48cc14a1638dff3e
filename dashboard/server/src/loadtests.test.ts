// The Load tests API through createServer, with the collectors' preflight, runner and store
// and the stand-in k6: who may start and stop a test, what a write must carry, the refusals
// (a test already running, the platform's limits, a production target), a test started here
// streamed live, and one run by another process followed through the store.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollectorSession, k6Results, kneeLimitsOf } from '@ballast/collectors';
import { fakeK6Path, sandboxContextAt } from '@ballast/collectors/testing';
import {
  loadPlatformConfig,
  openStore,
  referencePlatformConfigPath,
  type LoadSample,
  type LoadTestRun,
  type PlatformConfig,
  type Store,
} from '@ballast/core';
import { makeHealth } from '../../test/health-fixture.js';
import { HOST, OPERATOR, signIn, VIEWER } from '../../test/session-fixture.js';
import { loadTestSource } from './loadtest-source.js';
import type { LoadTestDetail, LoadTestList, LoadTestPlanAnswer } from './loadtests.js';
import type { Credential } from './roles.js';
import { createServer } from './server.js';

const reference = loadPlatformConfig(referencePlatformConfigPath);

let dir: string;
let store: Store;
let target: http.Server;
let targetUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ballast-dash-loadtests-'));
  store = openStore(dir);
  // The store under test: answers its health check (the preflight's reachability probe).
  target = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/store`;
});
afterAll(async () => {
  store?.close();
  await new Promise((resolve) => target?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function app(options: { platform?: PlatformConfig; mode?: string; frameMs?: number } = {}) {
  const context = sandboxContextAt('http://127.0.0.1:9');
  const source = loadTestSource({
    context,
    store,
    session: createCollectorSession(context, store, { now: Date.now }),
    platform: options.platform ?? reference,
    now: Date.now,
    env: {
      ...process.env,
      K6_BIN: fakeK6Path,
      FAKE_K6_MODE: options.mode ?? 'progress',
      FAKE_K6_FRAME_MS: String(options.frameMs ?? 150),
    },
  });
  return createServer({
    health: () => Promise.resolve(makeHealth({ now: Date.now() })),
    now: Date.now,
    credentials: [OPERATOR, VIEWER],
    loadTests: {
      ...source,
      pollMs: 50,
      // The platform's side needs CloudWatch; k6's side of the report is what is checked here.
      report: (run) =>
        Promise.resolve({
          k6: k6Results(run, store.loadTests.samples(run.id), kneeLimitsOf(run, reference)),
        } as never),
    },
  });
}
type App = ReturnType<typeof app>;

/** The SSE frames of a stream until it ends. */
async function frames(server: App, url: string, who: Credential) {
  const res = await request(server)
    .get(url)
    .set('Host', HOST)
    .set('Authorization', `Bearer ${who.token}`)
    .buffer(true)
    .parse((r, done) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString()));
      r.on('end', () => done(null, text));
    })
    .expect(200);
  expect(res.headers['content-type']).toMatch(/text\/event-stream/);
  return String(res.body)
    .split('\n\n')
    .flatMap((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      return event && data ? [{ event, data: JSON.parse(data) as unknown }] : [];
    });
}

const smoke = () => ({ scenario: 'smoke', target: targetUrl, duration: '20s' });

/** Waits until no test runs on the sandbox context (each test leaves none behind). */
async function idle(): Promise<void> {
  const start = Date.now();
  while (store.loadTests.running('sandbox', () => false, Date.now()).length > 0) {
    if (Date.now() - start > 60_000) throw new Error('a load test is still running');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('load tests: who may do what', () => {
  it('lets a viewer list and plan, and refuses them a start with a clear 403', async () => {
    const server = app();
    const viewer = await signIn(server, VIEWER);
    const list = await viewer.get('/api/loadtests').expect(200);
    expect((list.body as LoadTestList).scenarios).toContain('black-friday');

    const plan = await viewer.post('/api/loadtests/plan', smoke()).expect(200);
    const answer = plan.body as LoadTestPlanAnswer;
    expect(answer.blocking).toEqual([]);
    expect(answer.estimate.requests).toBeGreaterThan(0);
    expect(answer.k6).toMatch(/^k6 /);

    const refused = await viewer.post('/api/loadtests/start', smoke()).expect(403);
    expect(refused.body).toMatchObject({ error: 'forbidden-role' });
    expect(refused.body.message).toMatch(
      /sam signed in as a viewer: only an operator may start load tests/,
    );
    expect(store.loadTests.list()).toEqual([]);
  });

  it('refuses a write without the CSRF token, from another origin, or with a bad body', async () => {
    const server = app();
    const operator = await signIn(server, OPERATOR);
    await operator
      .post('/api/loadtests/start', smoke(), { 'x-ballast-csrf': 'nope' })
      .expect(403, /CSRF/);
    await operator
      .post('/api/loadtests/start', smoke(), { Origin: 'https://evil.example' })
      .expect(403, /not from https:\/\/evil.example/);
    const bad = await operator
      .post('/api/loadtests/start', { ...smoke(), scale: -1, extra: 1 })
      .expect(400);
    expect(bad.body.message).toMatch(/scale/);
    expect(bad.body.message).toMatch(/extra/);
    await operator
      .post('/api/loadtests/start', { ...smoke(), scenario: 'nope' })
      .expect(400, /the scenarios are smoke, black-friday/);
    expect(store.loadTests.list()).toEqual([]);
  });
});

describe('load tests: guardrails', () => {
  it('answers 422 with the preflight for a test above the limits, and lets force through', async () => {
    const server = app();
    const operator = await signIn(server, OPERATOR);
    const big = { scenario: 'black-friday', target: targetUrl };
    const refused = await operator.post('/api/loadtests/start', big).expect(422);
    expect(refused.body.error).toBe('guardrail');
    expect(refused.body.message).toMatch(/Larger than the load-test limits/);
    expect(refused.body.actions.join(' ')).toMatch(/--force/);
    expect((refused.body.plan as LoadTestPlanAnswer).blocking.map((c) => c.id)).toEqual(['limits']);
    const forced = await operator
      .post('/api/loadtests/plan', { ...big, overrides: ['force'] })
      .expect(200);
    expect((forced.body as LoadTestPlanAnswer).blocking).toEqual([]);
    expect(store.loadTests.list()).toEqual([]);
  });

  it('answers 422 for a target that is not loopback on a production platform', async () => {
    const server = app({ platform: { ...reference, environment: 'production' } });
    const operator = await signIn(server, OPERATOR);
    const refused = await operator
      .post('/api/loadtests/start', { ...smoke(), target: 'http://shop.invalid/store' })
      .expect(422);
    const ids = (refused.body.plan as LoadTestPlanAnswer).blocking.map((c) => c.id);
    expect(ids).toContain('production');
    expect(refused.body.message).toMatch(/is production/);
    expect(store.loadTests.list()).toEqual([]);
  });
});

describe('load tests: running one', () => {
  it('starts a test for an operator, streams it live, refuses a second with 409, and reports it', async () => {
    // Six readings 3 s apart (18 s): the runner reads k6 once a second, and on a busy
    // machine the stand-in's start alone can take seconds (4.8 s was seen to end unread).
    const server = app({ frameMs: 3000 });
    const operator = await signIn(server, OPERATOR);
    const started = await operator.post('/api/loadtests/start', smoke()).expect(202);
    const id = started.body.id as string;
    expect(started.body.run).toMatchObject({ id, status: 'running', scenario: 'smoke' });
    expect((started.body.run as LoadTestRun).options).toMatchObject({
      startedBy: { user: 'jane', via: 'dashboard' },
    });

    const second = await operator.post('/api/loadtests/start', smoke()).expect(409);
    expect(second.body).toMatchObject({ error: 'running' });
    expect(second.body.message).toMatch(new RegExp(`Load test ${id}`));

    const list = (await operator.get('/api/loadtests').expect(200)).body as LoadTestList;
    expect(list.running).toBe(id);
    expect(list.runs[0]).toMatchObject({ id, status: 'running', stoppable: true });
    await operator.get(`/api/loadtests/${id}/report`).expect(409, /still running/);

    const events = await frames(server, `/api/loadtests/${id}/events`, VIEWER);
    const samples = events.filter((e) => e.event === 'sample').map((e) => e.data as LoadSample);
    expect(samples.length).toBeGreaterThanOrEqual(3);
    expect(samples.map((s) => s.t)).toEqual([...samples.map((s) => s.t)].sort((a, b) => a - b));
    expect(samples.at(-1)!.requests).toBeGreaterThan(0);
    const last = events.at(-1)!;
    expect(last.event).toBe('run');
    expect(last.data).toMatchObject({ id, status: 'passed', exitCode: 0 });

    const detail = (await operator.get(`/api/loadtests/${id}`).expect(200)).body as LoadTestDetail;
    expect(detail.run.status).toBe('passed');
    expect(Object.keys(detail.thresholds)).toContain('http_req_failed');
    const report = await operator.get(`/api/loadtests/${id}/report`).expect(200);
    expect(report.body.k6.exit).toMatch(/^0/);
    // The history reads k6's summary export as the report does (a rate's share is its value).
    const after = (await operator.get('/api/loadtests').expect(200)).body as LoadTestList;
    expect(after.runs[0]).toMatchObject({ id, status: 'passed', failedShare: 0 });
    expect(after.runs[0]!.requests).toBeGreaterThan(0);
    await idle();
  }, 120_000);

  it('stops a test started here for an operator, keeping the partial result', async () => {
    const server = app({ frameMs: 3000 });
    const operator = await signIn(server, OPERATOR);
    const viewer = await signIn(server, VIEWER);
    const id = (await operator.post('/api/loadtests/start', smoke()).expect(202)).body.id as string;
    await viewer.post(`/api/loadtests/${id}/stop`, {}).expect(403, /viewer/);
    const stopped = await operator.post(`/api/loadtests/${id}/stop`, {}).expect(200);
    expect((stopped.body.run as LoadTestRun).status).not.toBe('running');
    expect((stopped.body.run as LoadTestRun).message).toMatch(/stopped from the dashboard by jane/);
    await idle();
  });

  it('follows a test that another process runs, through the samples its runner stores', async () => {
    const server = app();
    const id = 'lt-20261127-060000-beef';
    const begun = store.loadTests.begin(
      {
        id,
        context: 'sandbox',
        scenario: 'smoke',
        target: targetUrl,
        tiers: [],
        options: {},
        startedAt: Date.now(),
        holder: 'ci@elsewhere',
        pid: 4242,
      },
      () => false,
    );
    expect(begun.ok).toBe(true);
    const sample = (t: number, requests: number): LoadSample => ({
      t,
      vus: 3,
      requests,
      requestRate: 10,
      p95Ms: 120,
      failed: 0,
      errorRate: 0,
      iterations: 1,
      bytesReceived: 1000,
      bytesSent: 100,
      failingThresholds: [],
    });
    const t0 = Date.now();
    store.loadTests.addSamples(id, [sample(t0, 10)]);
    const stream = frames(server, `/api/loadtests/${id}/events`, VIEWER);
    // The other process goes on recording, then ends.
    setTimeout(() => store.loadTests.addSamples(id, [sample(t0 + 1000, 20)]), 200);
    setTimeout(
      () => store.loadTests.finish(id, { status: 'passed', endedAt: t0 + 2000, exitCode: 0 }),
      400,
    );
    const events = await stream;
    expect(events[0]).toMatchObject({ event: 'run', data: { id, status: 'running' } });
    expect(
      events.filter((e) => e.event === 'sample').map((e) => (e.data as LoadSample).requests),
    ).toEqual([10, 20]);
    expect(events.at(-1)).toMatchObject({ event: 'run', data: { id, status: 'passed' } });

    const operator = await signIn(server, OPERATOR);
    // Started elsewhere: this dashboard cannot stop it, and says where it runs.
    await operator.post(`/api/loadtests/${id}/stop`, {}).expect(409, /is not running/);
  });
});
