import { AutoScalingServiceException } from '@aws-sdk/client-auto-scaling';
import { CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import { CostExplorerServiceException } from '@aws-sdk/client-cost-explorer';
import { SourceErrorKindSchema } from '@ballast/core';
import { describe, expect, it } from 'vitest';
import { adviceFor, classifyAwsError, deadlineError, errorHints } from './errors.js';

const cloudwatchError = (name: string, status: number, message = `${name} happened`) =>
  new CloudWatchServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
const autoscalingError = (name: string, status: number, message = `${name} happened`) =>
  new AutoScalingServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
const costExplorerError = (name: string, status: number, message = `${name} happened`) =>
  new CostExplorerServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
const networkError = (code: string) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:4566`), { code });

describe('classifyAwsError', () => {
  it.each([
    {
      error: cloudwatchError('Throttling', 400, 'Rate exceeded'),
      op: 'GetMetricData',
      kind: 'throttled',
    },
    { error: cloudwatchError('ThrottlingException', 400), op: 'GetMetricData', kind: 'throttled' },
    {
      error: cloudwatchError('TooManyRequestsException', 429),
      op: 'DescribeAlarms',
      kind: 'throttled',
    },
    {
      error: autoscalingError('Throttling', 400),
      op: 'DescribeAutoScalingGroups',
      kind: 'throttled',
    },
    { error: cloudwatchError('AccessDenied', 403), op: 'GetMetricData', kind: 'access-denied' },
    {
      error: cloudwatchError('AccessDeniedException', 400),
      op: 'DescribeAlarms',
      kind: 'access-denied',
    },
    {
      error: autoscalingError('UnauthorizedOperation', 403),
      op: 'DescribeScalingActivities',
      kind: 'access-denied',
    },
    {
      error: cloudwatchError('SubscriptionRequiredException', 400),
      op: 'GetMetricData',
      kind: 'subscription-required',
    },
    {
      error: Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      op: 'GetMetricData',
      kind: 'credentials',
    },
    {
      error: cloudwatchError(
        'ExpiredToken',
        403,
        'The security token included in the request is expired',
      ),
      op: 'GetMetricData',
      kind: 'credentials',
    },
    {
      error: cloudwatchError('InvalidClientTokenId', 403),
      op: 'GetMetricData',
      kind: 'credentials',
    },
    { error: networkError('ECONNREFUSED'), op: 'GetMetricData', kind: 'unreachable' },
    { error: networkError('ENOTFOUND'), op: 'DescribeAlarms', kind: 'unreachable' },
    {
      error: Object.assign(new AggregateError([networkError('ECONNREFUSED')], ''), {}),
      op: 'GetMetricData',
      kind: 'unreachable',
    },
    {
      error: Object.assign(new Error('Connection timed out after 3000 ms'), {
        name: 'TimeoutError',
      }),
      op: 'GetMetricData',
      kind: 'unreachable',
    },
    {
      error: cloudwatchError(
        'UnrecognizedClientException',
        400,
        'The security token included in the request is invalid.',
      ),
      op: 'GetMetricData',
      kind: 'invalid-request',
    },
    { error: new Error('Region is missing'), op: 'GetMetricData', kind: 'invalid-request' },
    {
      error: cloudwatchError('InvalidParameterValue', 400),
      op: 'GetMetricData',
      kind: 'invalid-request',
    },
    {
      error: cloudwatchError('InternalServiceError', 500),
      op: 'GetMetricData',
      kind: 'service-error',
    },
    {
      error: autoscalingError('ServiceUnavailable', 503),
      op: 'DescribeAutoScalingGroups',
      kind: 'service-error',
    },
  ])('given $error.name ($error.message) on $op, then $kind', ({ error, op, kind }) => {
    const service =
      op.startsWith('Describe') && !op.includes('Alarms') ? 'autoscaling' : 'cloudwatch';
    expect(classifyAwsError(error, service, op).kind).toBe(kind);
  });

  it.each([
    ['cloudwatch', 'GetMetricData', 'cloudwatch:GetMetricData'],
    ['cloudwatch', 'DescribeAlarms', 'cloudwatch:DescribeAlarms'],
    ['autoscaling', 'DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingGroups'],
    ['autoscaling', 'PutScalingPolicy', 'autoscaling:PutScalingPolicy'],
    ['autoscaling', 'UpdateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup'],
    [
      'autoscaling',
      'BatchPutScheduledUpdateGroupAction',
      'autoscaling:BatchPutScheduledUpdateGroupAction',
    ],
  ])(
    'given access denied on %s %s, then it names the IAM action %s to grant',
    (service, operation, iamAction) => {
      expect(
        classifyAwsError(
          cloudwatchError('AccessDenied', 403, 'not authorized'),
          service,
          operation,
        ),
      ).toEqual({
        kind: 'access-denied',
        message: `Access denied to ${iamAction}: not authorized`,
        iamAction,
        actions: [`Grant ${iamAction} to the IAM identity of your credentials.`],
      });
    },
  );

  it('given a throttle, then the message names service and operation and the action says what to do', () => {
    expect(
      classifyAwsError(
        cloudwatchError('Throttling', 400, 'Rate exceeded'),
        'cloudwatch',
        'GetMetricData',
      ),
    ).toMatchObject({
      message: 'CloudWatch throttled GetMetricData (Throttling): Rate exceeded',
      actions: [
        expect.stringMatching(/backs off/),
        expect.stringMatching(/rate quota in Service Quotas/),
      ],
    });
  });

  it.each([
    { profile: 'store-prod', action: 'aws sso login --profile store-prod' },
    {
      profile: undefined,
      action: 'Set AWS_PROFILE to a configured profile, or pass --profile NAME',
    },
  ])(
    'given expired credentials and profile $profile, then the first action is "$action"',
    ({ profile, action }) => {
      expect(
        classifyAwsError(cloudwatchError('ExpiredToken', 403), 'cloudwatch', 'GetMetricData', {
          profile,
        }).actions?.[0],
      ).toBe(action);
    },
  );

  it('given a refused connection to a custom endpoint, then it says to check that the endpoint is reachable', () => {
    expect(
      classifyAwsError(networkError('ECONNREFUSED'), 'cloudwatch', 'GetMetricData', {
        endpointUrl: 'http://127.0.0.1:4566',
      }),
    ).toEqual({
      kind: 'unreachable',
      message:
        'Cannot reach http://127.0.0.1:4566 for GetMetricData (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:4566',
      actions: [
        'Check that http://127.0.0.1:4566 is reachable (network, VPN, proxy).',
        'If AWS_ENDPOINT_URL is set by mistake, unset it to talk to real AWS.',
      ],
    });
  });

  it.each([
    {
      when: 'a collection reached its deadline',
      error: deadlineError(5_000),
      message:
        'Cannot reach http://127.0.0.1:4566 for DescribeAlarms (timed out): no answer within 5 s',
    },
    {
      when: "the SDK's request timeout fired",
      error: Object.assign(
        new Error(
          '@smithy/node-http-handler - [ERROR] a request has exceeded the configured 10000 ms requestTimeout.',
        ),
        { name: 'TimeoutError', code: 'ETIMEDOUT' },
      ),
      message:
        'Cannot reach http://127.0.0.1:4566 for DescribeAlarms (timed out): a request has exceeded the configured 10000 ms requestTimeout.',
    },
  ])(
    'given $when, then it is unreachable, timed out, with the advice of a refused connection',
    ({ error, message }) => {
      const hints = { endpointUrl: 'http://127.0.0.1:4566', sandbox: true };
      const timedOut = classifyAwsError(error, 'cloudwatch', 'DescribeAlarms', hints);
      const refused = classifyAwsError(
        networkError('ECONNREFUSED'),
        'cloudwatch',
        'DescribeAlarms',
        hints,
      );
      expect(timedOut).toEqual({ kind: 'unreachable', message, actions: refused.actions });
      expect(timedOut.actions?.[0]).toBe('Start the sandbox in another terminal: ballast sandbox');
    },
  );

  it('given an unrecognized client, then the action hints at the region', () => {
    expect(
      classifyAwsError(
        cloudwatchError('UnrecognizedClientException', 400),
        'cloudwatch',
        'GetMetricData',
        { region: 'ap-east-1', contextName: 'prod' },
      ).actions?.[0],
    ).toBe(
      'Check the region: the context uses ap-east-1; pass --region REGION --context prod if the resources live elsewhere.',
    );
  });

  it('given something that is not an error at all, then it is still a service-error with a message', () => {
    expect(classifyAwsError('boom', 'cloudwatch', 'GetMetricData')).toMatchObject({
      kind: 'service-error',
      message: 'GetMetricData failed (unknown error)',
    });
  });
});

describe('adviceFor', () => {
  it.each(SourceErrorKindSchema.options)('gives at least one thing to do for %s', (kind) => {
    expect(adviceFor(kind, {}).length).toBeGreaterThan(0);
  });

  it('given a sandbox context, then an unreachable endpoint means: start the sandbox', () => {
    const hints = errorHints({
      name: 'sandbox',
      region: 'us-east-1',
      endpointUrl: 'http://127.0.0.1:4566',
      platformConfig: 'sandbox.yaml',
      dummyCredentials: true,
      source: 'default',
    });
    expect(hints).toMatchObject({ sandbox: true, contextName: 'sandbox' });
    expect(adviceFor('unreachable', hints)[0]).toBe(
      'Start the sandbox in another terminal: ballast sandbox',
    );
  });
});

describe('classifyAwsError for Cost Explorer', () => {
  it.each([
    ['GetCostAndUsage', 'ce:GetCostAndUsage'],
    ['GetCostForecast', 'ce:GetCostForecast'],
    ['GetAnomalies', 'ce:GetAnomalies'],
    ['GetAnomalyMonitors', 'ce:GetAnomalyMonitors'],
  ])('given access denied on %s, then it names %s to grant', (operation, iamAction) => {
    expect(
      classifyAwsError(
        costExplorerError(
          'AccessDeniedException',
          400,
          'User: arn:aws:iam::1:user/b is not authorized',
        ),
        'costexplorer',
        operation,
        { profile: 'store-prod' },
      ),
    ).toEqual({
      kind: 'access-denied',
      message: `Access denied to ${iamAction}: User: arn:aws:iam::1:user/b is not authorized`,
      iamAction,
      actions: [`Grant ${iamAction} to the IAM identity of profile store-prod.`],
    });
  });

  it.each([
    {
      name: 'LimitExceededException',
      message: 'Rate exceeded',
      kind: 'throttled',
      text: 'Cost Explorer throttled GetCostAndUsage (LimitExceededException): Rate exceeded',
      action: /backs off/,
    },
    {
      name: 'AccessDeniedException',
      message: 'User not enabled for cost explorer access',
      kind: 'subscription-required',
      text: 'Cost Explorer is not enabled for this account (AccessDeniedException): User not enabled for cost explorer access',
      action: /Enable Cost Explorer/,
    },
    {
      name: 'OptInRequired',
      message: 'The AWS account is not opted in',
      kind: 'subscription-required',
      text: 'Cost Explorer is not enabled for this account (OptInRequired)',
      action: /launch it; its data appears within 24 hours/,
    },
    {
      name: 'DataUnavailableException',
      message: 'Data is not available',
      kind: 'service-error',
      text: 'Cost Explorer could not answer GetCostAndUsage (DataUnavailableException)',
      action: /still being prepared/,
    },
    {
      name: 'RequestChangedException',
      message: 'Your request parameters changed between pages',
      kind: 'service-error',
      text: 'Cost Explorer could not answer GetCostAndUsage (RequestChangedException)',
      action: /changed while its answer was being paged/,
    },
    {
      name: 'BillExpirationException',
      message: 'The requested report expired',
      kind: 'invalid-request',
      text: 'Cost Explorer rejected GetCostAndUsage (BillExpirationException)',
      action: /pick a later --since/,
    },
    {
      name: 'ValidationException',
      message: 'Start date (and hour) should be before end date in the us-east-1 region',
      kind: 'invalid-request',
      text: 'Cost Explorer rejected GetCostAndUsage (ValidationException)',
      action: /Check --since and --until/,
    },
  ])(
    'given $name, then $kind, with Cost Explorer’s own advice',
    ({ name, message, kind, text, action }) => {
      const error = classifyAwsError(
        costExplorerError(name, 400, message),
        'costexplorer',
        'GetCostAndUsage',
      );
      expect(error.kind).toBe(kind);
      expect(error.message).toContain(text);
      expect(error.actions?.[0]).toMatch(action);
    },
  );

  it('given LimitExceededException from CloudWatch (a quota, not throttling), then it is not called throttling', () => {
    expect(
      classifyAwsError(
        cloudwatchError('LimitExceededException', 400),
        'cloudwatch',
        'PutMetricAlarm',
      ).kind,
    ).toBe('invalid-request');
  });
});

describe('classifyAwsError for Auto Scaling writes', () => {
  it.each([
    {
      name: 'ScalingActivityInProgressFault',
      op: 'UpdateAutoScalingGroup',
      status: 400,
      kind: 'service-error',
      message:
        'Auto Scaling refused UpdateAutoScalingGroup: the group is scaling now (ScalingActivityInProgressFault): ScalingActivityInProgressFault happened',
      advice: /launching or terminating instances; AWS refuses this write until that ends/,
    },
    {
      name: 'LimitExceededFault',
      op: 'PutScalingPolicy',
      status: 400,
      kind: 'invalid-request',
      message:
        'Auto Scaling refused PutScalingPolicy: a quota of the group or the account is reached (LimitExceededFault): LimitExceededFault happened',
      advice: /50 scaling policies and 125 scheduled actions per group/,
    },
    {
      name: 'ValidationError',
      op: 'SetDesiredCapacity',
      status: 400,
      kind: 'invalid-request',
      message:
        'Auto Scaling refused SetDesiredCapacity: AWS refused the values (ValidationError): ValidationError happened',
      advice: /Plan again with values AWS accepts/,
    },
    {
      name: 'ResourceContentionFault',
      op: 'PutScalingPolicy',
      status: 500,
      kind: 'throttled',
      message:
        'Auto Scaling refused PutScalingPolicy: another request is updating the group (ResourceContentionFault): ResourceContentionFault happened',
      advice: /apply again in a few seconds/,
    },
    {
      name: 'AlreadyExistsFault',
      op: 'BatchPutScheduledUpdateGroupAction',
      status: 400,
      kind: 'invalid-request',
      message:
        'Auto Scaling refused BatchPutScheduledUpdateGroupAction: one of that name exists already (AlreadyExistsFault): AlreadyExistsFault happened',
      advice: /ballast scaling unschedule/,
    },
  ])(
    'given $name on $op, then $kind, saying why and what to do',
    ({ name, op, status, kind, message, advice }) => {
      const error = classifyAwsError(autoscalingError(name, status), 'autoscaling', op);

      expect(error).toMatchObject({ kind, message });
      expect(error.actions?.[0]).toMatch(advice);
    },
  );

  it('given the wire code without Fault (as a batch entry names it), then it is classified the same', () => {
    expect(
      classifyAwsError(
        autoscalingError('ScalingActivityInProgress', 400),
        'autoscaling',
        'SetDesiredCapacity',
      ).kind,
    ).toBe('service-error');
  });

  it('given a ValidationError from CloudWatch, then the Auto Scaling advice does not apply', () => {
    const error = classifyAwsError(
      cloudwatchError('ValidationError', 400),
      'cloudwatch',
      'GetMetricData',
    );

    expect(error.message).toBe(
      'CloudWatch rejected GetMetricData (ValidationError): ValidationError happened',
    );
    expect(error.actions?.[0]).toMatch(/Check the region/);
  });
});
