import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
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
  ])('refuses $what with a 400 that says what is wrong', async ({ body }) => {
    const res = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: string[] }).issues.length).toBeGreaterThan(0);
  });
});
