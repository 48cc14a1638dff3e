// `ballast cost` against the sandbox's Cost Explorer: the contract's lines, CSV read back as
// a spreadsheet would, the cache and what a read costs, each bad flag, each fault.
import { silentEndpoint } from '@ballast/collectors/testing';
import {
  addDays,
  addMonths,
  dayOf,
  monthOf,
  monthStart,
  RETENTION_MONTHS,
  type MeterReport,
} from '@ballast/core';
import { describe, expect, it } from 'vitest';
import type { JsonFailure, JsonSuccess } from '../../base-command.js';
import { visibleWidth } from '../../output/text.js';
import { csvObjects } from '../../testing/csv.js';
import { closedPort, parseEnvelope, runCommand, startCommand } from '../../testing/harness.js';
import { setFaults, useSandboxContext } from '../../testing/sandbox.js';
import Meter from '../meter.js';
import Cost, { type CostResult } from './index.js';

const sandbox = useSandboxContext();

/** The first day Cost Explorer keeps: this month and the 13 before it (2025-11-01 on 2026-12-01). */
const oldest = () => monthStart(addMonths(monthOf(dayOf(Date.now())), -(RETENTION_MONTHS - 1)));
const today = () => dayOf(Date.now());

/** Paid Cost Explorer requests in the call ledger of this test's state dir. */
async function costExplorerRequests(): Promise<number> {
  const { result } = await runCommand<MeterReport>(Meter, ['--json']);
  return (result?.lines ?? [])
    .filter((l) => l.service === 'costexplorer')
    .reduce((n, l) => n + l.month.requests, 0);
}

describe('cost (the contract)', () => {
  it('BALLAST_CONTEXT=sandbox ballast cost --by service --since <the oldest day kept> --csv: a CSV that reads back, with where it came from on stderr', async () => {
    process.env.BALLAST_CONTEXT = 'sandbox';
    const { result, stdout, stderr, error } = await runCommand<CostResult>(Cost, [
      '--by',
      'service',
      '--since',
      oldest(),
      '--csv',
    ]);
    expect(error).toBeUndefined();
    expect(stdout.startsWith('period_start,period_end,service,cost_usd,estimated\r\n')).toBe(true);
    expect(stdout.endsWith('\r\n')).toBe(true);
    const records = csvObjects(stdout);
    expect(records.length).toBeGreaterThan(100);
    for (const r of records) {
      expect(r.period_start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.period_end).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.cost_usd).toMatch(/^-?\d+(\.\d+)?$/);
      expect(['true', 'false']).toContain(r.estimated);
    }
    // More than 62 days: a record per month and service, from the oldest month kept.
    expect(records[0]?.period_start).toBe(oldest());
    // Every month kept (the open one has no record before its first day is billed).
    expect(new Set(records.map((r) => r.period_start)).size).toBeGreaterThanOrEqual(
      RETENTION_MONTHS - 1,
    );
    expect(new Set(records.map((r) => r.service))).toEqual(
      new Set(result?.groups.map((g) => g.label)),
    );
    const sum = records.reduce((s, r) => s + Number(r.cost_usd), 0);
    expect(sum).toBeCloseTo(result?.total ?? 0, 2);
    expect(stderr).toMatch(/Read from Cost Explorer: \d+ requests?, \$0\.\d\d/);
    expect(stdout).not.toContain('Read from');
  }, 60_000);

  it('ballast cost --by tag:team --granularity monthly: the table by team with its untagged share, a bar per month, where it came from', async () => {
    const { result, stdout, error } = await runCommand<CostResult>(Cost, [
      '--by',
      'tag:team',
      '--granularity',
      'monthly',
    ]);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ groupBy: ['tag:team'], granularity: 'monthly' });
    expect(result?.periods).toHaveLength(13);
    expect(stdout).toMatch(/^Cost by team \(tag\)$/m);
    expect(stdout).toMatch(/^█ {2}storefront +\$[\d,]+ +\d+%$/m);
    expect(stdout).toMatch(/^[▓▒░·] {2}\(untagged\) +\$[\d,.]+ /m);
    expect(stdout).toMatch(/^ {3}Total +\$[\d,]+ +100%$/m);
    expect(stdout).toMatch(new RegExp(`^${monthOf(today())} ~ +\\$[\\d,.]+ `, 'm'));
    expect(stdout).toMatch(/of the spend carries no team tag, shown as \(untagged\)\./);
    expect(stdout).toMatch(
      /Read from Cost Explorer: \d+ requests?, \$0\.\d\d; next refresh in \d+ h\./,
    );
  }, 60_000);

  it('given the same view again, then it comes from the cache: no request, said so', async () => {
    await runCommand(Cost, ['--by', 'service']);
    const before = await costExplorerRequests();
    const { result, stdout } = await runCommand<CostResult>(Cost, ['--by', 'tag:team']);
    expect(result?.freshness).toMatchObject({ fromCache: true, paidRequests: 0 });
    expect(stdout).toMatch(/From cache \(no request\), just read, next refresh in \d+ h\./);
    expect(await costExplorerRequests()).toBe(before);
    // --refresh reads the open months again, and only them.
    const refreshed = await runCommand<CostResult>(Cost, ['--by', 'service', '--refresh']);
    expect(refreshed.result?.freshness.paidRequests).toBeGreaterThan(0);
    expect(await costExplorerRequests()).toBeGreaterThan(before);
  }, 60_000);

  it('prints the table in the JSON envelope with --json', async () => {
    const { stdout } = await runCommand(Cost, ['--json', '--since', monthStart(monthOf(today()))]);
    const envelope = parseEnvelope<CostResult>(stdout) as JsonSuccess<CostResult>;
    expect(envelope).toMatchObject({ status: 0, warnings: [] });
    expect(envelope.result).toMatchObject({
      groupBy: ['service'],
      granularity: 'daily',
      freshness: { fromCache: false, paidRequests: expect.any(Number) },
    });
  }, 60_000);

  it('through a pipe with COLUMNS=80, then every line fits 80 columns', async () => {
    process.env.COLUMNS = '80';
    try {
      const { stdout } = await runCommand(Cost, ['--by', 'service,tag:team']);
      for (const line of stdout.trimEnd().split('\n'))
        expect(visibleWidth(line)).toBeLessThanOrEqual(80);
      expect(stdout).toContain('Cost by service and team (tag)');
    } finally {
      delete process.env.COLUMNS;
    }
  }, 60_000);
});

describe('cost (bad input): the flag named, what would do, exit 2, nothing asked of Cost Explorer', () => {
  it.each([
    {
      argv: ['--since', '2025-02-30'],
      says: '--since: expected a date as YYYY-MM-DD, got "2025-02-30"',
    },
    {
      argv: ['--until', '11/30/2026'],
      says: '--until: expected a date as YYYY-MM-DD, got "11/30/2026"',
    },
    {
      argv: ['--since', '2026-11-10', '--until', '2026-11-01'],
      says: '--until: 2026-11-01 is before --since 2026-11-10: the range would be reversed',
    },
    {
      argv: ['--by', 'tag:owner'],
      says: 'unknown tag key "owner": the platform config\'s spend.tagKeys are team, env, tier',
    },
    {
      argv: ['--by', 'service,region,tag:team'],
      says: '--by: at most 2 dimensions (Cost Explorer groups by two at most), got 3',
    },
    { argv: ['--by', 'service', '--by', 'region', '--by', 'usage-type'], says: 'got 3' },
    {
      argv: ['--by', 'colour'],
      says: '--by: expected service, usage-type, region, tag:team, tag:env, tag:tier, got "colour"',
    },
    {
      argv: ['--granularity', 'weekly'],
      says: 'Expected --granularity=weekly to be one of: daily, monthly',
    },
    { argv: ['--csv', '--json'], says: 'cannot also be provided when using' },
  ])('given $argv, then "$says"', async ({ argv, says }) => {
    const { error, stderr, stdout } = await runCommand(Cost, argv);
    expect(error).toMatchObject({ code: 'InvalidUsage', exitCode: 2 });
    expect(argv.includes('--json') ? stdout : stderr).toContain(says);
    expect(error?.actions).toContain('ballast cost --help');
    expect(await costExplorerRequests()).toBe(0);
  });

  it('given a --since older than Cost Explorer keeps, then it says from which day it keeps data, and why', async () => {
    const dayBefore = addDays(oldest(), -1);
    const { error } = await runCommand(Cost, ['--since', dayBefore]);
    expect(error).toMatchObject({ exitCode: 2 });
    expect(error?.message).toBe(
      `--since: ${dayBefore} is older than Cost Explorer keeps: its data starts on ${oldest()} (this month and the 13 before it)`,
    );
    expect(error?.actions.join('\n')).toContain(`ballast cost --since ${oldest()}`);
  });

  it('given a --since in the future, then it says what today is', async () => {
    const { error } = await runCommand(Cost, ['--since', addDays(today(), 2)]);
    expect(error?.message).toContain(`is in the future (today is ${today()} UTC)`);
  });

  it('given an unknown tag key, then the actions say which keys exist and where to add one', async () => {
    const { error } = await runCommand(Cost, ['--by', 'tag:owner']);
    expect(error?.actions[0]).toContain('tag:team, tag:env, tag:tier');
    expect(error?.actions[1]).toMatch(/listed in spend\.tagKeys of .*sandbox\.yaml/);
  });

  it('given --json, then the error envelope names the flag', async () => {
    const { stdout } = await runCommand(Cost, ['--by', 'tag:owner', '--json']);
    expect(parseEnvelope(stdout)).toMatchObject({
      status: 2,
      code: 'InvalidUsage',
      message: expect.stringContaining('--by: unknown tag key "owner"'),
      exitCode: 2,
    } satisfies Partial<JsonFailure>);
  });
});

describe('cost (faults, nothing stored): what failed and what to do, exit 1', () => {
  it.each([
    {
      kind: 'throttle' as const,
      code: 'AwsThrottled',
      message: 'LimitExceededException',
      action: 'Wait a minute: Ballast backs off and tries again by itself.',
    },
    {
      kind: 'access-denied' as const,
      code: 'AwsAccessDenied',
      message: 'ce:GetCostAndUsage',
      action: 'Grant ce:GetCostAndUsage to the IAM identity of your credentials.',
    },
    {
      kind: 'data-unavailable' as const,
      code: 'AwsServiceError',
      message: 'DataUnavailableException',
      action: 'If Cost Explorer was enabled in the last 24 hours',
    },
    {
      kind: 'server-error' as const,
      code: 'AwsServiceError',
      message: 'GetCostAndUsage',
      action: 'Try again in a minute',
    },
  ])(
    'given GetCostAndUsage fails with $kind, then $code',
    async ({ kind, code, message, action }) => {
      await setFaults(sandbox, [{ service: 'ce', operation: 'GetCostAndUsage', kind, rate: 1 }]);
      const { error, stderr, stdout } = await runCommand(Cost, [
        '--since',
        monthStart(monthOf(today())),
      ]);
      expect(error).toMatchObject({ code, exitCode: 1 });
      expect(error?.message).toMatch(
        /^Could not read Cost Explorer, and nothing stored can stand in: /,
      );
      expect(error?.message).toContain(message);
      expect(stderr).toContain(action);
      expect(stdout).toBe('');
    },
    90_000,
  );

  it('given an unreachable endpoint, then it says how to reach the sandbox', async () => {
    const { error } = await runCommand(Cost, [
      '--endpoint-url',
      `http://127.0.0.1:${await closedPort()}`,
    ]);
    expect(error).toMatchObject({ code: 'EndpointUnreachable', exitCode: 1 });
    expect(error?.actions).toContain('Start the sandbox in another terminal: ballast sandbox');
  }, 60_000);

  it('given Cost Explorer slower than --timeout, then it ends at the deadline, reported like an unreachable endpoint', async () => {
    await setFaults(sandbox, [
      { service: 'ce', operation: '*', kind: 'slow', rate: 1, delayMs: 20_000 },
    ]);
    const { error } = await runCommand(Cost, ['--timeout', '1s']);
    expect(error).toMatchObject({ code: 'EndpointUnreachable', exitCode: 1 });
    expect(error?.message).toContain('(timed out): no answer within 1 s');
  }, 60_000);

  it('given Ctrl-C while Cost Explorer is slow, then it stops at once with exit 130, not as a failure of Cost Explorer', async () => {
    const slowServed = async () => {
      const response = await fetch(`${sandbox.url}/_sandbox/status`);
      const status = (await response.json()) as { requests: Record<string, number> };
      return status.requests['fault:slow'] ?? 0;
    };
    const before = await slowServed();
    await setFaults(sandbox, [
      { service: 'ce', operation: '*', kind: 'slow', rate: 1, delayMs: 30_000 },
    ]);
    const run = startCommand(Cost, []);
    // Once a request is held by the sandbox, the command is waiting for Cost Explorer.
    while ((await slowServed()) === before) await new Promise((r) => setTimeout(r, 50));
    process.emit('SIGINT');
    const { error, stderr } = await run.done;
    expect(error).toMatchObject({ code: 'Interrupted', exitCode: 130 });
    expect(stderr).not.toContain('Try this');
  }, 60_000);

  it('given an endpoint that never answers, then --timeout ends it the same way', async () => {
    const silent = await silentEndpoint();
    try {
      const { error } = await runCommand(Cost, ['--endpoint-url', silent.url, '--timeout', '1s']);
      expect(error).toMatchObject({ code: 'EndpointUnreachable', exitCode: 1 });
      expect(error?.message).toContain('no answer within 1 s');
    } finally {
      await silent.close();
    }
  }, 60_000);
});

describe('cost (faults, data stored): the stored table with its age and a warning, exit 0', () => {
  it.each([
    { kind: 'throttle' as const, words: 'throttled by AWS' },
    { kind: 'server-error' as const, words: 'AWS service error' },
    { kind: 'access-denied' as const, words: 'access denied' },
  ])(
    'given a refresh that fails with $kind',
    async ({ kind, words }) => {
      const since = monthStart(monthOf(today()));
      await runCommand(Cost, ['--since', since]);
      await setFaults(sandbox, [{ service: 'ce', operation: '*', kind, rate: 1 }]);
      const { result, error, stdout, stderr } = await runCommand<CostResult>(Cost, [
        '--since',
        since,
        '--refresh',
      ]);
      expect(error).toBeUndefined();
      expect(result?.freshness.error).toBeDefined();
      expect(stdout).toContain('Cost by service');
      expect(stdout).toContain(`reading Cost Explorer again failed (${words}): see the warning.`);
      // The warning wraps to the width of stderr: read it unwrapped.
      expect(stderr.replace(/\n {2,}/g, ' ')).toMatch(
        new RegExp(
          `^Warning: Cost Explorer could not be read \\(${words}: .*\\); showing what`,
          'm',
        ),
      );
      expect(stderr).toContain('Try this:');
    },
    90_000,
  );

  it('given the endpoint unreachable, then the stored table, and under --json the warning in the envelope', async () => {
    const since = monthStart(monthOf(today()));
    await runCommand(Cost, ['--since', since]);
    const { stdout, error } = await runCommand(Cost, [
      '--since',
      since,
      '--refresh',
      '--json',
      '--endpoint-url',
      `http://127.0.0.1:${await closedPort()}`,
    ]);
    expect(error).toBeUndefined();
    const envelope = parseEnvelope<CostResult>(stdout) as JsonSuccess<CostResult>;
    expect(envelope.status).toBe(0);
    expect(envelope.result.freshness.error).toMatchObject({ kind: 'unreachable' });
    expect(envelope.warnings[0]).toMatch(
      /^Cost Explorer could not be read \(endpoint unreachable: /,
    );
    expect(envelope.warnings[0]).toContain(
      'Start the sandbox in another terminal: ballast sandbox',
    );
  }, 60_000);
});
