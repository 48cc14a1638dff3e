// Fault injection: rules make a share of matching requests fail the way AWS fails
// (throttling, 5xx, slow answers, missing permissions, no support plan, Cost Explorer data not
// ingested yet), so collectors' resilience can be tested, and a change applied through several
// writes can be made to fail part-way (a rule on one operation, e.g. PutScalingPolicy). Which
// requests fail comes from a seeded stream.
import { z } from 'zod';
import { Random } from '../random.js';
import { dataUnavailable, limitExceeded } from './cost-explorer.js';
import { AwsError, CORAL_AVAILABILITY, CORAL_SERVICE } from './protocol.js';

export const FaultRuleSchema = z
  .object({
    service: z.enum(['cloudwatch', 'autoscaling', 'sts', 'ce', '*']),
    /** an operation name such as GetMetricData, or * */
    operation: z.string().min(1),
    kind: z.enum([
      'throttle',
      'server-error',
      'slow',
      'access-denied',
      'subscription-required',
      'data-unavailable',
    ]),
    /** share of matching requests affected, 0..1 (1 = every one) */
    rate: z.number().min(0).max(1),
    /** delay of a slow answer, ms (default 3000) */
    delayMs: z.number().int().min(0).max(120_000).optional(),
  })
  .strict()
  .refine((r) => !(r.kind === 'access-denied' && r.service === 'sts'), {
    message:
      'sts:GetCallerIdentity needs no permission (AWS answers it even under an explicit deny): access-denied does not apply to sts',
    path: ['kind'],
  })
  .refine((r) => r.kind !== 'data-unavailable' || r.service === 'ce' || r.service === '*', {
    message: 'data-unavailable is a Cost Explorer fault: use it with service "ce" (or "*")',
    path: ['kind'],
  });
export type FaultRule = z.infer<typeof FaultRuleSchema>;

export const FaultRulesSchema = z.object({ rules: z.array(FaultRuleSchema).max(100) }).strict();

export type ServiceName = 'cloudwatch' | 'autoscaling' | 'sts' | 'ce';

const DEFAULT_SLOW_MS = 3000;

/** IAM prefixes of the emulated services, for AccessDenied messages. */
const IAM_PREFIX: Record<ServiceName, string> = {
  cloudwatch: 'cloudwatch',
  autoscaling: 'autoscaling',
  sts: 'sts',
  ce: 'ce',
};

export class FaultInjector {
  private current: FaultRule[] = [];
  private readonly random: Random;

  constructor(
    seed: number,
    private readonly accountId: string,
  ) {
    this.random = new Random(seed, 'faults');
  }

  get rules(): readonly FaultRule[] {
    return this.current;
  }

  replace(rules: FaultRule[]): void {
    this.current = [...rules];
  }

  clear(): void {
    this.current = [];
  }

  /** The rule that fires for this request, if any (the first matching rule whose roll hits). */
  decide(service: ServiceName, operation: string): FaultRule | undefined {
    for (const rule of this.current) {
      if (rule.service !== '*' && rule.service !== service) continue;
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      if (rule.kind === 'access-denied' && service === 'sts') continue;
      if (rule.kind === 'data-unavailable' && service !== 'ce') continue;
      if (this.random.next() < rule.rate) return rule;
    }
    return undefined;
  }

  /** Delay for a slow rule, ms. */
  delayOf(rule: FaultRule): number {
    return rule.delayMs ?? DEFAULT_SLOW_MS;
  }

  /** The error a failing rule answers with (not for 'slow', which answers normally). */
  errorFor(rule: FaultRule, service: ServiceName, operation: string): AwsError {
    switch (rule.kind) {
      case 'throttle':
        // Cost Explorer throttles with its own modeled error.
        return service === 'ce'
          ? limitExceeded()
          : new AwsError(
              'Throttling',
              'Rate exceeded',
              400,
              `${CORAL_AVAILABILITY}#ThrottlingException`,
            );
      case 'server-error':
        return internalFailure();
      case 'access-denied': {
        const action = `${IAM_PREFIX[service]}:${operation}`;
        // Cost Explorer names its operations as resources: arn:aws:ce:us-east-1:<account>:/<Op>.
        const resource =
          service === 'ce'
            ? ` on resource: arn:aws:ce:us-east-1:${this.accountId}:/${operation}`
            : '';
        return new AwsError(
          'AccessDenied',
          `User: arn:aws:iam::${this.accountId}:user/ballast is not authorized to perform: ${action}${resource} because no identity-based policy allows the ${action} action`,
          403,
          `${CORAL_SERVICE}#AccessDeniedException`,
        );
      }
      case 'data-unavailable':
        return dataUnavailable();
      case 'subscription-required':
        return new AwsError(
          'SubscriptionRequiredException',
          'AWS Premium Support Subscription is required to use this service.',
          400,
        );
      case 'slow':
        throw new Error('a slow rule answers normally after its delay');
    }
  }
}

/** AWS's answer to a failure of its own. */
export const internalFailure = () =>
  new AwsError(
    'InternalFailure',
    'The request processing has failed because of an unknown error, exception or failure.',
    500,
    `${CORAL_SERVICE}#InternalFailure`,
  );
