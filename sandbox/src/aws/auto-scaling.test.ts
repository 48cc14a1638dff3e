import {
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  paginateDescribeScalingActivities,
  type Activity,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients, startTestSandbox } from '../../test/helpers.js';
import type { RunningSandbox } from '../start-sandbox.js';

let sandbox: RunningSandbox;
let as: AutoScalingClient;

beforeAll(async () => {
  sandbox = await startTestSandbox({ backfillDays: 2 });
  as = awsClients(sandbox.url).autoScaling;
});
afterAll(() => sandbox.stop());

describe('DescribeAutoScalingGroups', () => {
  it('describes every group of the platform, sorted by name', async () => {
    const out = await as.send(new DescribeAutoScalingGroupsCommand({}));
    expect(out.AutoScalingGroups!.map((g) => g.AutoScalingGroupName)).toEqual([
      'store-web',
      'store-workers',
    ]);
  });

  it('describes the web group with its on-demand/spot mix and instances', async () => {
    const out = await as.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['store-web'] }),
    );
    const web = out.AutoScalingGroups![0]!;
    expect(web).toMatchObject({
      MinSize: 2,
      MaxSize: 30,
      HealthCheckType: 'ELB',
      TargetGroupARNs: [
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/store-web/73e2d6bc24d8a067',
      ],
      MixedInstancesPolicy: {
        InstancesDistribution: {
          OnDemandBaseCapacity: 2,
          OnDemandPercentageAboveBaseCapacity: 30,
          SpotAllocationStrategy: 'price-capacity-optimized',
        },
      },
    });
    expect(web.AutoScalingGroupARN).toMatch(
      /^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/store-web$/,
    );
    const live = web.Instances!.filter((i) => i.LifecycleState !== 'Terminating');
    expect(live.length).toBe(web.DesiredCapacity);
    for (const i of web.Instances!) {
      expect(i.InstanceId).toMatch(/^i-0[0-9a-f]{16}$/);
      expect(['Pending', 'InService', 'Terminating']).toContain(i.LifecycleState);
      expect(['us-east-1a', 'us-east-1b', 'us-east-1c']).toContain(i.AvailabilityZone);
      expect(['m6i.large', 'm5.large', 'm6a.large']).toContain(i.InstanceType);
    }
    // Zones stay balanced within one instance.
    const perZone = ['a', 'b', 'c'].map(
      (z) => live.filter((i) => i.AvailabilityZone === `us-east-1${z}`).length,
    );
    expect(Math.max(...perZone) - Math.min(...perZone)).toBeLessThanOrEqual(1);
  });

  it('pages with MaxRecords and NextToken', async () => {
    const first = await as.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 1 }));
    expect(first.AutoScalingGroups!.map((g) => g.AutoScalingGroupName)).toEqual(['store-web']);
    const second = await as.send(
      new DescribeAutoScalingGroupsCommand({ MaxRecords: 1, NextToken: first.NextToken }),
    );
    expect(second.AutoScalingGroups!.map((g) => g.AutoScalingGroupName)).toEqual(['store-workers']);
    expect(second.NextToken).toBeUndefined();
  });

  it('filters by tag', async () => {
    const out = await as.send(
      new DescribeAutoScalingGroupsCommand({
        Filters: [{ Name: 'tag:ballast:tier', Values: ['workers'] }],
      }),
    );
    expect(out.AutoScalingGroups!.map((g) => g.AutoScalingGroupName)).toEqual(['store-workers']);
  });

  it('refuses MaxRecords above 100 with a ValidationError', async () => {
    await expect(
      as.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 101 })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('DescribeScalingActivities', () => {
  const all = async (pageSize: number) => {
    const activities: Activity[] = [];
    for await (const page of paginateDescribeScalingActivities(
      { client: as, pageSize },
      { AutoScalingGroupName: 'store-web' },
    )) {
      activities.push(...(page.Activities ?? []));
    }
    return activities;
  };

  it('lists activities newest first with AWS descriptions and causes', async () => {
    const out = await as.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'store-web' }),
    );
    const activities = out.Activities!;
    expect(activities.length).toBeGreaterThan(2);
    const starts = activities.map((a) => a.StartTime!.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    for (const a of activities) {
      expect(a.Description).toMatch(
        /^(Launching a new EC2 instance|Terminating EC2 instance): i-0[0-9a-f]{16}$/,
      );
      expect(a.Cause).toMatch(/^At \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ /);
      expect(['Successful', 'InProgress']).toContain(a.StatusCode);
    }
    const scaleOut = activities.find((a) => a.Cause!.includes('AlarmHigh'));
    expect(scaleOut?.Cause).toMatch(
      /a monitor alarm TargetTracking-store-web-AlarmHigh-[0-9a-f-]{36} in state ALARM triggered policy store-web-cpu70 changing the desired capacity from \d+ to \d+\./,
    );
  });

  it('pages through the same activities whatever the page size', async () => {
    const small = await all(3);
    const large = await all(100);
    expect(small.length).toBe(large.length);
    expect(small.map((a) => a.ActivityId)).toEqual(large.map((a) => a.ActivityId));
    expect(new Set(small.map((a) => a.ActivityId)).size).toBe(small.length);
  });

  it('returns nothing for a group that does not exist', async () => {
    const out = await as.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'no-such-group' }),
    );
    expect(out.Activities).toEqual([]);
  });
});

describe('wire errors', () => {
  const post = (body: string, authorization?: string) =>
    fetch(sandbox.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(authorization ? { authorization } : {}),
      },
      body,
    });
  const auth =
    'AWS4-HMAC-SHA256 Credential=test/20251123/us-east-1/autoscaling/aws4_request, SignedHeaders=host, Signature=0';

  it.each([
    {
      what: 'an unknown action',
      body: 'Action=DescribeLaunchPads&Version=2011-01-01',
      authorization: auth,
      status: 400,
      code: 'InvalidAction',
    },
    {
      what: 'another API version',
      body: 'Action=DescribeAutoScalingGroups&Version=2099-01-01',
      authorization: auth,
      status: 400,
      code: 'InvalidAction',
    },
    {
      what: 'no Authorization header',
      body: 'Action=DescribeAutoScalingGroups&Version=2011-01-01',
      authorization: undefined,
      status: 403,
      code: 'MissingAuthenticationToken',
    },
  ])('answers $what with a Query ErrorResponse', async ({ body, authorization, status, code }) => {
    const res = await post(body, authorization);
    expect(res.status).toBe(status);
    const xml = await res.text();
    expect(xml).toMatch(
      new RegExp(
        `^<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>[^<]+</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`,
      ),
    );
  });
});

describe('Query requests of any size', () => {
  const post = (form: string) =>
    fetch(sandbox.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20251123/us-east-1/autoscaling/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: form,
    });
  const list = (name: string, n: number) =>
    Array.from({ length: n }, (_, i) => `&${name}.member.${i + 1}=v${i}`).join('');

  it("refuses 20,000 group names with AWS's error, without reading them all", async () => {
    const res = await post(
      `Action=DescribeAutoScalingGroups&Version=2011-01-01${list('AutoScalingGroupNames', 20_000)}`,
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(
      '<Code>ValidationError</Code><Message>The number of group names that may be passed in is limited to 50</Message>',
    );
  });

  it('reads a list of 200,000 filter values in time linear in its size', async () => {
    // Quadratic parsing (a scan of the whole form per member) would take hours here.
    const res = await post(
      `Action=DescribeAutoScalingGroups&Version=2011-01-01&Filters.member.1.Name=tag-key${list('Filters.member.1.Values', 200_000)}`,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<AutoScalingGroups></AutoScalingGroups>');
  });
});
