import { afterEach, describe, expect, it } from 'vitest';
import { engineSetup, NOW, type EngineSetup } from '../../test/engine-setup.js';
import { fakePorts } from '../../test/fake-auto-scaling.js';
import { recordedWebWeek } from '../../test/recorded-week.js';
import type { RecordedSeries } from './ports.js';
import { BlackFridayError, planBlackFriday, saleWindow } from './black-friday.js';

const WEEK_START = NOW - 7 * 86_400_000;

/** Workers: 96 jobs a minute at the day's peak, 8 a minute per c6i.xlarge, always a little backlog. */
function recordedWorkerWeek(start: number): RecordedSeries {
  const n = 7 * 1440;
  const jobs = Float64Array.from(
    { length: n },
    (_, m) => 56 - 40 * Math.cos(((m % 1440) / 1440) * 2 * Math.PI),
  );
  const inService = jobs.map((j) => Math.ceil(j / 8));
  return {
    start,
    periodSeconds: 60,
    values: {
      jobsSent: jobs,
      jobsDeleted: Float64Array.from(inService, (i) => i * 8),
      queueVisible: Float64Array.from(inService, (i) => i * 4),
      queueOldestAge: new Float64Array(n).fill(40),
      desired: inService,
      inService,
    },
  };
}

let s: EngineSetup | undefined;
afterEach(() => s?.store.close());

function withTraffic(): EngineSetup {
  const web = recordedWebWeek(WEEK_START, { min: 2, max: 20, targetCpu: 70 });
  const workers = recordedWorkerWeek(WEEK_START);
  s = engineSetup({
    ports: (aws) => ({
      ...fakePorts(aws),
      traffic: {
        recorded: (group) =>
          Promise.resolve(
            group === 'store-web' ? web : group === 'store-workers' ? workers : undefined,
          ),
      },
    }),
  });
  return s;
}

describe('saleWindow', () => {
  it('given a date and an opening time in New York, then the sale opens at that wall-clock time there', () => {
    expect(
      saleWindow({
        date: '2025-11-28',
        peakMultiple: 8,
        timeZone: 'America/New_York',
        opensAt: '06:00',
      }),
    ).toEqual({
      opens: Date.UTC(2025, 10, 28, 11, 0),
      closes: Date.UTC(2025, 10, 29, 11, 0),
    });
    // summer time: 4 hours behind UTC
    expect(
      saleWindow({ date: '2025-07-04', peakMultiple: 2, timeZone: 'America/New_York' }).opens,
    ).toBe(Date.UTC(2025, 6, 4, 4, 0));
  });

  it.each([
    { options: { date: '28/11/2025' }, message: 'The date 28/11/2025 is not YYYY-MM-DD.' },
    { options: { date: '2025-02-30' }, message: '2025-02-30 is not a date of the calendar.' },
    {
      options: { date: '2025-11-28', timeZone: 'Mars/Olympus' },
      message: 'Unknown time zone Mars/Olympus.',
    },
  ])('given $options, then it says what is wrong', ({ options, message }) => {
    expect(() => saleWindow({ peakMultiple: 8, ...options })).toThrow(message);
  });
});

describe('planBlackFriday', () => {
  it('given an 8x sale in New York, then the web group warms before the doors open, holds the peak, ramps down and restores its bounds', async () => {
    const { engine } = withTraffic();

    const [web] = await planBlackFriday(engine, {
      date: '2025-11-28',
      peakMultiple: 8,
      timeZone: 'America/New_York',
      groups: ['store-web'],
      now: NOW,
    });

    // the recorded day peaks at 300 req/s; 8x that at the policy's 70% CPU of 55 req/s
    const peakNeed = Math.ceil((300 * 8) / (55 * 0.7));
    expect(web!.schedule.peakNeed).toBe(peakNeed);
    const opens = Date.UTC(2025, 10, 28, 5, 0);
    const actions = web!.schedule.actions;
    expect(actions.map((a) => a.name)).toEqual([
      'bf-20251128-warm',
      'bf-20251128-hold',
      'bf-20251128-ramp-1',
      'bf-20251128-ramp-2',
      'bf-20251128-restore',
    ]);
    // 2 minutes to boot, 5 to warm up (the policy's EstimatedInstanceWarmup) and a margin
    expect(actions[0]).toMatchObject({
      startTime: opens - 25 * 60_000,
      max: Math.ceil(peakNeed * 1.25),
    });
    expect(actions[1]).toMatchObject({ min: peakNeed });
    expect(actions.at(-1)).toMatchObject({ min: 2, max: 20 });
    const times = actions.map((a) => a.startTime!);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(actions[2]!.min!).toBeGreaterThan(actions[3]!.min!);

    // the plan is an ordinary scheduled-actions change, with the sale's replay as its effect
    expect(web!.plan).toMatchObject({
      kind: 'scheduled-actions',
      target: { group: 'store-web', tier: 'web' },
    });
    expect(web!.plan.steps.map((st) => st.write.op)).toEqual([
      'BatchPutScheduledUpdateGroupAction',
    ]);
    expect(web!.plan.guardrails.filter((g) => !g.ok)).toEqual([]);
    const effect = web!.plan.effect!;
    expect(effect.actual).toBeUndefined();
    expect(effect.current.minutesAtMax).toBeGreaterThan(60);
    expect(effect.candidate.minutesOverSlo.saturation!.critical).toBeLessThan(
      effect.current.minutesOverSlo.saturation!.critical,
    );
    expect(effect.candidate.costUsd).toBeGreaterThan(effect.current.costUsd);
    expect(effect.assumptions).toContain(
      "The sale's traffic is the median recorded day, minute by minute, times 8 from 2025-11-28T05:00:00.000Z to 2025-11-29T05:00:00.000Z, and as recorded around it.",
    );
  });

  it('given no group named, then it plans every web and worker group of the platform', async () => {
    const { engine } = withTraffic();

    const plans = await planBlackFriday(engine, { date: '2025-11-28', peakMultiple: 8, now: NOW });

    expect(plans.map((p) => p.schedule.group)).toEqual(['store-web', 'store-workers']);
    const workers = plans[1]!.schedule;
    // 96 jobs a minute at peak x 8, a worker counted at 80% of 8 jobs a minute
    expect(workers.peakNeed).toBe(Math.ceil((96 * 8) / (8 * 0.8)));
  });

  it('given a sale that opens before capacity could be scheduled, then it says to raise capacity now', async () => {
    const { engine } = withTraffic();

    const error = await planBlackFriday(engine, {
      date: '2025-11-20',
      opensAt: '15:10',
      peakMultiple: 8,
      groups: ['store-web'],
      now: NOW,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BlackFridayError);
    expect((error as BlackFridayError).message).toBe(
      'The sale opens 2025-11-20T15:10:00.000Z: too soon to schedule capacity 25 minutes ahead of it.',
    );
  });

  it('given a sale that is over, then it is planned to show what its schedule would have done, and its guardrails refuse to apply it', async () => {
    const { engine } = withTraffic();

    const [web] = await planBlackFriday(engine, {
      date: '2025-11-14',
      peakMultiple: 8,
      groups: ['store-web'],
      now: NOW,
    });

    expect(web!.schedule.reasoning.at(-1)).toBe(
      'The sale of 2025-11-14 is over: this is what its schedule would have been; actions that start in the past cannot be applied.',
    );
    expect(web!.plan.effect?.candidate.instanceHours).toBeGreaterThan(0);
    const refused = web!.plan.guardrails.filter((g) => !g.ok);
    expect(refused.map((g) => g.id)).toEqual(web!.schedule.actions.map(() => 'start-time'));
    expect(refused.every((g) => g.override === undefined)).toBe(true);
    expect(engine.blocking(web!.plan, ['force'])).toHaveLength(web!.schedule.actions.length);
  });
});
