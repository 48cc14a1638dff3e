// Every spend command's --help shows the contract's lines among its examples, as typed.
import type { Command } from '@oclif/core';
import { describe, expect, it } from 'vitest';
import Meter from '../meter.js';
import CostAnomalies from './anomalies.js';
import CostForecast from './forecast.js';
import Cost from './index.js';
import CostMovers from './movers.js';
import CostUnit from './unit.js';

/** The example lines as `--help` prints them. */
function examples(Cmd: typeof Command, id: string): string[] {
  return (Cmd.examples ?? []).map((e) =>
    (typeof e === 'string' ? e : e.command)
      .replaceAll('<%= config.bin %>', 'ballast')
      .replaceAll('<%= command.id %>', id),
  );
}

describe('--help examples', () => {
  it.each([
    {
      Cmd: Cost,
      id: 'cost',
      line: 'BALLAST_CONTEXT=sandbox ballast cost --by service --since 2025-11-01 --csv',
    },
    { Cmd: Cost, id: 'cost', line: 'ballast cost --by tag:team --granularity monthly' },
    { Cmd: CostForecast, id: 'cost forecast', line: 'ballast cost forecast --json' },
    { Cmd: CostAnomalies, id: 'cost anomalies', line: 'ballast cost anomalies --json' },
    { Cmd: CostUnit, id: 'cost unit', line: 'ballast cost unit --json' },
    { Cmd: CostMovers, id: 'cost movers', line: 'ballast cost movers --json' },
    { Cmd: Meter, id: 'meter', line: 'ballast meter --json' },
  ])('ballast $id --help shows "$line"', ({ Cmd, id, line }) => {
    expect(examples(Cmd as unknown as typeof Command, id)).toContain(line);
  });

  it.each([
    ['cost', Cost],
    ['cost forecast', CostForecast],
    ['cost anomalies', CostAnomalies],
    ['cost unit', CostUnit],
    ['cost movers', CostMovers],
    ['meter', Meter],
  ] as const)(
    'ballast %s: a one-line summary, a description with its exit codes, --endpoint-url, --timeout and --json',
    (_id, Cmd) => {
      expect(Cmd.summary).toMatch(/^[^\n]{20,110}$/);
      expect(Cmd.description).toMatch(/Exit codes?: 0/);
      expect(Object.keys(Cmd.flags)).toEqual(
        expect.arrayContaining(['endpoint-url', 'context', 'profile', 'region', 'timeout']),
      );
      expect(Cmd.enableJsonFlag).toBe(true);
    },
  );
});
