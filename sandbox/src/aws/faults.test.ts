import { request } from 'node:http';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient, GetAnomalyMonitorsCommand } from '@aws-sdk/client-cost-explorer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awsClients, startTestSandbox } from '../../test/helpers.js';
import type { RunningSandbox } from '../start-sandbox.js';
import type { FaultRule } from './faults.js';

let sandbox: RunningSandbox;
let clients: ReturnType<typeof awsClients>;

beforeAll(async () => {
  sandbox = await startTestSandbox({ backfillDays: 0.25 });
  clients = awsClients(sandbox.url);
});
afterAll(() => sandbox.stop());
afterEach(() => fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' }));

const setFaults = async (rules: FaultRule[]) => {
  const res = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    body: JSON.stringify({ rules }),
  });
  expect(res.status).toBe(200);
};
const listMetrics = () => clients.cloudWatch.send(new ListMetricsCommand({ Namespace: 'AWS/SQS' }));
const describeGroups = () => clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
const anomalyMonitors = () =>
  new CostExplorerClient({
    endpoint: sandbox.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  }).send(new GetAnomalyMonitorsCommand({}));

async function failureOf(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  return undefined;
}

describe('fault injection', () => {
  // Each service: a rule on one operation of it (or all, '*'), the call it fails and a call
  // to the other service that must still succeed.
  const services = [
    {
      service: 'cloudwatch',
      label: 'CloudWatch',
      operation: 'ListMetrics',
      action: 'cloudwatch:ListMetrics',
      call: listMetrics,
      other: describeGroups,
    },
    {
      service: 'autoscaling',
      label: 'Auto Scaling',
      operation: '*',
      action: 'autoscaling:DescribeAutoScalingGroups',
      call: describeGroups,
      other: listMetrics,
    },
  ] as const;
  const failures = (action: string) =>
    [
      { kind: 'throttle', name: 'Throttling', status: 400, message: 'Rate exceeded' },
      { kind: 'server-error', name: 'InternalFailure', status: 500, message: 'unknown error' },
      {
        kind: 'access-denied',
        name: 'AccessDenied',
        status: 403,
        message: `is not authorized to perform: ${action}`,
      },
      {
        kind: 'subscription-required',
        name: 'SubscriptionRequiredException',
        status: 400,
        message: 'Subscription is required',
      },
    ] as const;

  it.each(
    services.flatMap(({ action, ...target }) =>
      failures(action).map((failure) => ({ ...target, ...failure })),
    ),
  )(
    '$label: $kind surfaces as $name ($status)',
    async ({ service, operation, call, other, kind, name, status, message }) => {
      await setFaults([{ service, operation, kind, rate: 1 }]);
      expect(await failureOf(call)).toMatchObject({
        name,
        status,
        message: expect.stringContaining(message),
      });
      // Other services and operations are unaffected.
      await expect(other()).resolves.toBeDefined();
    },
  );

  it.each([
    {
      kind: 'throttle',
      name: 'LimitExceededException',
      status: 400,
      message: 'Rate limit exceeded',
    },
    {
      kind: 'access-denied',
      name: 'AccessDeniedException',
      status: 403,
      message:
        'is not authorized to perform: ce:GetAnomalyMonitors on resource: arn:aws:ce:us-east-1:123456789012:/GetAnomalyMonitors',
    },
    {
      kind: 'data-unavailable',
      name: 'DataUnavailableException',
      status: 400,
      message: 'Data is not available',
    },
    { kind: 'server-error', name: 'InternalFailure', status: 500, message: 'unknown error' },
  ] as const)(
    'Cost Explorer: $kind surfaces as $name ($status)',
    async ({ kind, name, status, message }) => {
      await setFaults([{ service: 'ce', operation: 'GetAnomalyMonitors', kind, rate: 1 }]);
      expect(await failureOf(anomalyMonitors)).toMatchObject({
        name,
        status,
        message: expect.stringContaining(message),
      });
      await expect(listMetrics()).resolves.toBeDefined();
    },
  );

  it('applies data-unavailable on every service to Cost Explorer only', async () => {
    await setFaults([{ service: '*', operation: '*', kind: 'data-unavailable', rate: 1 }]);
    expect(await failureOf(anomalyMonitors)).toMatchObject({ name: 'DataUnavailableException' });
    await expect(listMetrics()).resolves.toBeDefined();
    await expect(describeGroups()).resolves.toBeDefined();
  });

  it('delays a slow answer, then answers normally', async () => {
    await setFaults([{ service: '*', operation: '*', kind: 'slow', rate: 1, delayMs: 300 }]);
    const started = performance.now();
    const out = await listMetrics();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(out.Metrics!.length).toBeGreaterThan(0);
  });

  it('fails a share of requests at a partial rate, and none at rate 0', async () => {
    await setFaults([{ service: 'cloudwatch', operation: '*', kind: 'throttle', rate: 0.5 }]);
    const outcomes = [];
    for (let i = 0; i < 30; i++) outcomes.push(await failureOf(listMetrics));
    const failed = outcomes.filter((o) => o?.name === 'Throttling').length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(25);

    await setFaults([{ service: 'cloudwatch', operation: '*', kind: 'throttle', rate: 0 }]);
    for (let i = 0; i < 10; i++) expect(await failureOf(listMetrics)).toBeUndefined();
  });

  it('clears the rules with DELETE', async () => {
    await setFaults([{ service: '*', operation: '*', kind: 'server-error', rate: 1 }]);
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    await expect(listMetrics()).resolves.toBeDefined();
  });

  it.each([
    {
      what: 'an unknown kind',
      body: { rules: [{ service: 'cloudwatch', operation: '*', kind: 'explode', rate: 1 }] },
    },
    {
      what: 'a rate above 1',
      body: { rules: [{ service: 'cloudwatch', operation: '*', kind: 'throttle', rate: 2 }] },
    },
    { what: 'a missing rules list', body: { service: 'cloudwatch' } },
    {
      what: 'data-unavailable for CloudWatch',
      body: {
        rules: [{ service: 'cloudwatch', operation: '*', kind: 'data-unavailable', rate: 1 }],
      },
    },
  ])('refuses $what with a 400 that says what is wrong', async ({ body }) => {
    const res = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: string[] }).issues.length).toBeGreaterThan(0);
  });
});

describe('the admin API from elsewhere', () => {
  // fetch() cannot set Host or Origin; node:http sends what it is given.
  const send = (method: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const { port } = new URL(sandbox.url);
      const req = request(
        { host: '127.0.0.1', port, path: '/_sandbox/faults', method, headers },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const throttleAll = JSON.stringify({
    rules: [{ service: '*', operation: '*', kind: 'throttle', rate: 1 }],
  });

  it.each([
    { what: 'a rebinding page (Host evil.example)', host: 'evil.example:4566' },
    { what: 'a lookalike host (127.evil.com)', host: '127.evil.com:4566' },
  ])('refuses $what, and its rules are not applied', async ({ host }) => {
    const res = await send('POST', { host, 'content-type': 'application/json' }, throttleAll);
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/answers only on this machine's loopback address/);
    expect((await send('GET', { host, origin: 'http://evil.example' })).status).toBe(403);
    await expect(listMetrics()).resolves.toBeDefined();
  });

  it('refuses a cross-site form posted to 127.0.0.1', async () => {
    const res = await send(
      'POST',
      { host: `127.0.0.1:${new URL(sandbox.url).port}`, origin: 'https://evil.example' },
      throttleAll,
    );
    expect(res.status).toBe(403);
    expect((await send('DELETE', { host: 'localhost', origin: 'null' })).status).toBe(403);
    await expect(listMetrics()).resolves.toBeDefined();
  });

  it.each(['127.0.0.1', 'localhost:4566', '[::1]:4566'])(
    'answers Host %s (curl, scripts, the dashboard on loopback)',
    async (host) => {
      expect((await send('GET', { host })).status).toBe(200);
      expect(
        (await send('POST', { host, origin: 'http://localhost:7300' }, throttleAll)).status,
      ).toBe(200);
    },
  );
});
