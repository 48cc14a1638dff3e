// Fault injection: rules make a share of matching requests fail the way AWS fails
// (throttling, 5xx, slow answers, missing permissions, no support plan), so collectors'
// resilience can be tested, and a change applied through several writes can be made to fail
// part-way (a rule on one operation, e.g. PutScalingPolicy). Which requests fail comes from
// a seeded stream.
import { z } from 'zod';
import { Random } from '../random.js';
import { AwsError, CORAL_AVAILABILITY, CORAL_SERVICE } from './protocol.js';

export const FaultRuleSchema = z
  .object({
    service: z.enum(['cloudwatch', 'autoscaling', 'sts', '*']),
    /** an operation name such as GetMetricData, or * */
    operation: z.string().min(1),
    kind: z.enum(['throttle', 'server-error', 'slow', 'access-denied', 'subscription-required']),
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
  });
export type FaultRule = z.infer<typeof FaultRuleSchema>;

export const FaultRulesSchema = z.object({ rules: z.array(FaultRuleSchema).max(100) }).strict();

export type ServiceName = 'cloudwatch' | 'autoscaling' | 'sts';

const DEFAULT_SLOW_MS = 3000;

/** IAM prefixes of the emulated services, for AccessDenied messages. */
const IAM_PREFIX: Record<ServiceName, string> = {
  cloudwatch: 'cloudwatch',
  autoscaling: 'autoscaling',
  sts: 'sts',
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
        return new AwsError(
          'Throttling',
          'Rate exceeded',
          400,
          `${CORAL_AVAILABILITY}#ThrottlingException`,
        );
      case 'server-error':
        return internalFailure();
      case 'access-denied': {
        const action = `${IAM_PREFIX[service]}:${operation}`;
        return new AwsError(
          'AccessDenied',
          `User: arn:aws:iam::${this.accountId}:user/ballast is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
          403,
          `${CORAL_SERVICE}#AccessDeniedException`,
        );
      }
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
