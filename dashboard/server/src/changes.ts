// The Scaling, Workers and Changes pages' API: read the live scaling state and the audit log
// (every role), plan a change (every role: planning writes nothing), apply or revert it
// (operators only). Every write goes through the collectors' change service, the same one the
// CLI uses, so both plan, guard, apply, verify, audit and revert alike.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import {
  ChangeRefusedError,
  GuardrailOverrideSchema,
  groupCapacityRequest,
  parsePlan,
  PlanSchema,
  scalingPolicyRequest,
  SpotAllocationStrategySchema,
  workerFleetRequest,
  type Plan,
  type PlatformConfig,
} from '@ballast/core';
import { ChangeAwsError, type ChangeService } from '@ballast/collectors';
import { describeIssues } from './api.js';
import { checkWrite, requireOperator, whoOf } from './roles.js';

/** Where the change pages' data and actions come from (index.ts: createChangeService). */
export interface ChangesDeps {
  service: ChangeService;
  platform: PlatformConfig;
}

const group = z.string().min(1).max(255);
const overrides = z.array(GuardrailOverrideSchema).max(2).optional();
const count = z.number().int().min(0).max(10_000);

export const PlanBodySchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('scaling-policy'),
      group,
      metric: z.enum(['cpu', 'requests-per-target', 'backlog-per-instance']),
      target: z.number().positive().max(1_000_000),
      warmupSeconds: z.number().int().min(0).max(3600).optional(),
      disableScaleIn: z.boolean().optional(),
      overrides,
    })
    .strict(),
  z
    .object({
      kind: z.literal('worker-fleet'),
      group,
      min: count.optional(),
      max: count.optional(),
      spotShare: z.number().int().min(0).max(100).optional(),
      onDemandBase: count.optional(),
      allocationStrategy: SpotAllocationStrategySchema.optional(),
      backlogTarget: z.number().positive().max(1_000_000).optional(),
      overrides,
    })
    .strict(),
  z
    .object({
      kind: z.literal('group-capacity'),
      group,
      min: count.optional(),
      max: count.optional(),
      desired: count.optional(),
      overrides,
    })
    .strict(),
  z.object({ kind: z.literal('revert'), changeId: z.string().min(1).max(100), overrides }).strict(),
]);
export type PlanBody = z.infer<typeof PlanBodySchema>;

export const ApplyBodySchema = z
  .object({
    /** a plan made by POST /api/changes/plan on this server */
    planId: z.string().min(1).max(100).optional(),
    /** or a whole plan (a saved plan file): its fingerprint must hold */
    plan: PlanSchema.optional(),
    reason: z
      .string()
      .trim()
      .min(3, 'reason is required: say why (at least 3 characters)')
      .max(500),
    overrides,
  })
  .strict()
  .refine((b) => (b.planId === undefined) !== (b.plan === undefined), {
    message: 'give either planId or plan',
    path: ['planId'],
  });

/** The plans made here, by id, until applied (the newest 100). */
class PlanBook {
  private readonly plans = new Map<string, Plan>();
  add(plan: Plan): void {
    this.plans.set(plan.id, plan);
    while (this.plans.size > 100) this.plans.delete(this.plans.keys().next().value!);
  }
  get(id: string): Plan | undefined {
    return this.plans.get(id);
  }
}

/** The body of a request, or a 400 naming the field. */
function bodyOf<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  res.status(400).json({ error: 'bad-request', message: describeIssues(parsed.error) });
  return undefined;
}

const REFUSAL_STATUS: Record<ChangeRefusedError['code'], number> = {
  guardrail: 422,
  conflict: 409,
  busy: 409,
  'already-applied': 409,
  'invalid-plan': 400,
  'wrong-context': 400,
  'no-change': 400,
  'unknown-kind': 400,
  'unknown-change': 404,
  'not-revertible': 400,
};

/** A refusal or an AWS failure as a JSON answer the page shows with what to do. */
function sendFailure(error: unknown, res: Response): void {
  if (error instanceof ChangeRefusedError) {
    res.status(REFUSAL_STATUS[error.code]).json({
      error: error.code,
      message: error.message,
      actions: error.actions,
      ...(error.details.changed ? { changed: error.details.changed } : {}),
      ...(error.details.guardrails ? { guardrails: error.details.guardrails } : {}),
    });
    return;
  }
  if (error instanceof ChangeAwsError) {
    res.status(502).json({
      error: 'aws',
      message: error.error.message,
      actions: error.error.actions ?? [],
      detail: error.error,
    });
    return;
  }
  // A request for a group the platform does not have, and such: the core's plain errors.
  res.status(400).json({
    error: 'bad-request',
    message: error instanceof Error ? error.message : String(error),
  });
}

export function mountChanges(api: express.Router, deps: ChangesDeps, secret: Buffer): void {
  const { service, platform } = deps;
  const plans = new PlanBook();
  const json = express.json({ limit: '1mb' });
  const write = [json, checkWrite(secret)];

  api.get('/scaling', (_req, res) => {
    res.json({ groups: service.engine.scalingGroups() });
  });

  api.get('/scaling/:group', async (req, res) => {
    const known = service.engine.scalingGroups().find((g) => g.group === req.params.group);
    if (!known) {
      res.status(404).json({
        error: 'not-found',
        message: `No Auto Scaling group "${req.params.group}" in the platform; the groups are ${service.engine
          .scalingGroups()
          .map((g) => g.group)
          .join(', ')}.`,
      });
      return;
    }
    try {
      const facts = await service.engine.facts(known.group);
      res.json({
        ...known,
        live: facts.group,
        policies: facts.policies,
        scheduledActions: facts.scheduledActions,
        config: facts.config,
        changes: service.list().filter((c) => c.target.group === known.group),
        now: facts.now,
      });
    } catch (error) {
      sendFailure(error, res);
    }
  });

  api.get('/changes', (_req, res) => {
    res.json({ changes: service.list(), chain: service.verify() });
  });

  const RangeSchema = z
    .object({ from: z.coerce.number().int().min(0), to: z.coerce.number().int().min(0) })
    .strict();
  api.get('/changes/annotations', (req, res) => {
    const parsed = RangeSchema.safeParse(req.query);
    if (!parsed.success) {
      res
        .status(400)
        .json({ error: 'bad-request', message: describeIssues(parsed.error, RangeSchema) });
      return;
    }
    res.json({ annotations: service.annotations(parsed.data) });
  });

  api.get('/changes/:id', (req, res) => {
    const change = service.show(req.params.id);
    if (!change) {
      res.status(404).json({ error: 'not-found', message: `No change ${req.params.id}.` });
      return;
    }
    res.json(change);
  });

  api.post('/changes/plan', ...write, async (req, res) => {
    const body = bodyOf(PlanBodySchema, req, res);
    if (!body) return;
    try {
      const o = body.overrides ? { overrides: body.overrides } : {};
      let plan: Plan;
      if (body.kind === 'revert') plan = await service.planRevert(body.changeId, o);
      else if (body.kind === 'scaling-policy') {
        const { kind: _kind, ...rest } = body;
        plan = await service.planChange(scalingPolicyRequest(platform, rest));
      } else if (body.kind === 'worker-fleet') {
        const { kind: _kind, ...rest } = body;
        plan = await service.planChange(workerFleetRequest(platform, rest));
      } else {
        const { kind: _kind, ...rest } = body;
        plan = await service.planChange(groupCapacityRequest(rest));
      }
      plans.add(plan);
      res.json({ plan, blocking: service.engine.blocking(plan, body.overrides) });
    } catch (error) {
      sendFailure(error, res);
    }
  });

  api.post('/changes/apply', ...write, requireOperator, async (req, res) => {
    const body = bodyOf(ApplyBodySchema, req, res);
    if (!body) return;
    try {
      const plan = body.plan
        ? parsePlan(JSON.stringify(body.plan), 'the plan sent')
        : plans.get(body.planId!);
      if (!plan) {
        res.status(404).json({
          error: 'unknown-plan',
          message: `No plan ${body.planId} on this dashboard (plans last until the dashboard restarts).`,
          actions: ['Plan the change again.'],
        });
        return;
      }
      const result = await service.applyChange(plan, {
        actor: { user: whoOf(res).name, via: 'dashboard' },
        reason: body.reason,
        ...(body.overrides ? { overrides: body.overrides } : {}),
      });
      res.status(result.status === 'failed' ? 502 : 200).json(result);
    } catch (error) {
      sendFailure(error, res);
    }
  });
}
