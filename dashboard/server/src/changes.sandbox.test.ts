// The change pages' API through createServer, with the collectors' change service against the
// sandbox: who may plan, apply and revert, what a write must carry (Origin, CSRF token, a
// valid body), and what an operator sees when someone changed the group meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChangeService, type ChangeService } from '@ballast/collectors';
import { sandboxContextAt } from '@ballast/collectors/testing';
import {
  loadPlatformConfig,
  openStore,
  referencePlatformConfigPath,
  scalingPolicyRequest,
  type Plan,
  type Store,
} from '@ballast/core';
import { startSandbox, type RunningSandbox } from '@ballast/sandbox';
import { makeHealth } from '../../test/health-fixture.js';
import { HOST, OPERATOR, signIn, VIEWER } from '../../test/session-fixture.js';
import { createServer } from './server.js';

const platform = loadPlatformConfig(referencePlatformConfigPath);

let sandbox: RunningSandbox;
let store: Store;
let dir: string;
let service: ChangeService;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 7, backfillDays: 0.1, coarseBackfillDays: 0 });
  dir = mkdtempSync(path.join(tmpdir(), 'ballast-dash-changes-'));
  store = openStore(dir);
  service = createChangeService({
    context: sandboxContextAt(sandbox.url),
    store,
    platform,
    engine: { sleep: () => new Promise((r) => setTimeout(r, 50)) },
  });
}, 60_000);
afterAll(async () => {
  store?.close();
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const app = () =>
  createServer({
    health: () => Promise.resolve(makeHealth({ now: Date.now() })),
    now: Date.now,
    credentials: [OPERATOR, VIEWER],
    changes: { service, platform },
  });

const cpuPlan = { kind: 'scaling-policy', group: 'store-web', metric: 'cpu', target: 50 };

/** The CPU target of store-web now, read from the sandbox. */
async function liveCpuTarget(): Promise<number | undefined> {
  const facts = await service.engine.facts('store-web');
  return facts.policies.find((p) => p.targetTracking?.metric.type === 'predefined')?.targetTracking
    ?.targetValue;
}

describe('reading', () => {
  it('given a viewer, then the groups, a group with its policies and the audit log are readable', async () => {
    const server = app();
    const auth = { Authorization: `Bearer ${VIEWER.token}`, Host: HOST };

    const groups = await request(server).get('/api/scaling').set(auth).expect(200);
    const group = await request(server).get('/api/scaling/store-web').set(auth).expect(200);
    const changes = await request(server).get('/api/changes').set(auth).expect(200);

    expect(groups.body.groups.map((g: { group: string }) => g.group)).toContain('store-web');
    expect(group.body.live).toMatchObject({ name: 'store-web' });
    expect(group.body.policies.length).toBeGreaterThan(0);
    expect(changes.body.chain).toMatchObject({ ok: true });
  }, 60_000);

  it('given an unknown group, then 404 names the groups there are', async () => {
    const res = await request(app())
      .get('/api/scaling/store-nope')
      .set({ Authorization: `Bearer ${VIEWER.token}`, Host: HOST })
      .expect(404);
    expect(res.body.message).toMatch(/No Auto Scaling group "store-nope".*store-web/);
  });

  it('given no token, then nothing is answered', async () => {
    await request(app()).get('/api/changes').set('Host', HOST).expect(401);
  });
});

describe('refusals of writes', () => {
  it('given a viewer, when it applies a plan, then 403 and nothing changes', async () => {
    const server = app();
    const viewer = await signIn(server, VIEWER);
    const before = await liveCpuTarget();

    const planned = await viewer.post('/api/changes/plan', cpuPlan).expect(200);
    const res = await viewer
      .post('/api/changes/apply', { planId: planned.body.plan.id, reason: 'pre-sale' })
      .expect(403);

    expect(res.body.error).toBe('forbidden-role');
    expect(res.body.message).toMatch(/sam signed in as a viewer: only an operator may apply/);
    expect(await liveCpuTarget()).toBe(before);
  }, 120_000);

  it.each([
    ['no CSRF token', { 'x-ballast-csrf': '' }, 'csrf'],
    ['a wrong CSRF token', { 'x-ballast-csrf': 'forged' }, 'csrf'],
    ['a foreign Origin', { Origin: 'https://evil.example' }, 'forbidden-origin'],
    ['an Origin on another port', { Origin: 'http://dash.example:9999' }, 'forbidden-origin'],
  ])('given an operator, when a write has %s, then 403 %s', async (_what, headers, error) => {
    const server = app();
    const operator = await signIn(server, OPERATOR);

    const res = await operator.post('/api/changes/plan', cpuPlan, headers).expect(403);

    expect(res.body.error).toBe(error);
  });

  it("given the viewer's CSRF token, when the operator sends it, then 403", async () => {
    const server = app();
    const viewer = await signIn(server, VIEWER);
    const operator = await signIn(server, OPERATOR);

    const res = await operator
      .post('/api/changes/plan', cpuPlan, { 'x-ballast-csrf': viewer.csrf })
      .expect(403);
    expect(res.body.error).toBe('csrf');
  });

  it.each([
    [{ ...cpuPlan, target: 'fifty' }, /target: .*number/],
    [{ ...cpuPlan, kind: 'firewall' }, /kind/],
    [{ ...cpuPlan, group: '' }, /group/],
    [{ ...cpuPlan, rm: true }, /rm/],
    [{ kind: 'worker-fleet', group: 'store-workers', spotShare: 180 }, /spotShare/],
  ])('given an invalid plan body %j, then 400 names the field', async (body, message) => {
    const operator = await signIn(app(), OPERATOR);
    const res = await operator.post('/api/changes/plan', body).expect(400);
    expect(res.body.error).toBe('bad-request');
    expect(res.body.message).toMatch(message);
  });

  it.each([
    [{ planId: 'p1' }, /reason/],
    [{ planId: 'p1', reason: ' ' }, /reason is required/],
    [{ reason: 'why not' }, /planId: give either planId or plan/],
  ])('given an invalid apply body %j, then 400 names the field', async (body, message) => {
    const operator = await signIn(app(), OPERATOR);
    const res = await operator.post('/api/changes/apply', body).expect(400);
    expect(res.body.message).toMatch(message);
  });
});

describe('plan, apply, revert', () => {
  it('given an operator, when a plan is applied, then the group changes, the audit names the principal and the operator, and a revert restores it', async () => {
    const server = app();
    const operator = await signIn(server, OPERATOR);
    const before = await liveCpuTarget();

    const planned = await operator
      .post('/api/changes/plan', { ...cpuPlan, target: 45 })
      .expect(200);
    const plan = planned.body.plan as Plan;
    expect(plan.diff).toEqual([expect.objectContaining({ before, after: 45 })]);
    expect(planned.body.blocking).toEqual([]);
    const applied = await operator
      .post('/api/changes/apply', { planId: plan.id, reason: 'pre-sale' })
      .expect(200);

    expect(applied.body.status).toBe('applied');
    expect(await liveCpuTarget()).toBe(45);
    const change = await request(server)
      .get(`/api/changes/${applied.body.changeId}`)
      .set({ Authorization: `Bearer ${VIEWER.token}`, Host: HOST })
      .expect(200);
    expect(change.body.actor).toMatchObject({ user: 'jane', via: 'dashboard' });
    expect(change.body.actor.principal).toMatch(/^arn:aws:/);
    expect(change.body.reason).toBe('pre-sale');

    const undo = await operator
      .post('/api/changes/plan', { kind: 'revert', changeId: applied.body.changeId })
      .expect(200);
    await operator
      .post('/api/changes/apply', { planId: undo.body.plan.id, reason: 'rollback' })
      .expect(200);
    expect(await liveCpuTarget()).toBe(before);
  }, 180_000);

  it('given someone changed the policy after the plan, when the plan is applied, then 409 says what changed and nothing is written', async () => {
    const server = app();
    const operator = await signIn(server, OPERATOR);
    const planned = await operator
      .post('/api/changes/plan', { ...cpuPlan, target: 40 })
      .expect(200);
    // Someone else, meanwhile (the CLI, or another dashboard).
    const other = await service.planChange(
      scalingPolicyRequest(platform, {
        group: 'store-web',
        metric: 'cpu',
        target: 65,
        withoutEffect: true,
      }),
    );
    await service.applyChange(other, { actor: { user: 'kim', via: 'test' }, reason: 'tuning' });

    const res = await operator
      .post('/api/changes/apply', { planId: planned.body.plan.id, reason: 'pre-sale' })
      .expect(409);

    expect(res.body.error).toBe('conflict');
    expect(res.body.changed).toEqual(
      expect.arrayContaining([expect.objectContaining({ after: 65 })]),
    );
    expect(await liveCpuTarget()).toBe(65);
  }, 180_000);
});
