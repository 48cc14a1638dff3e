import { describe, expect, it } from 'vitest';
import { closestCommand } from './command-not-found.js';

const IDS = [
  'alarms',
  'health',
  'meter',
  'context:add',
  'context:list',
  'cost',
  'cost:forecast',
  'cost:anomalies',
  'cost:movers',
  'cost:unit',
];

describe('closestCommand', () => {
  it.each([
    { typed: 'helth', id: 'health', args: [] },
    { typed: 'context:ad:prod', id: 'context:add', args: ['prod'] },
    // A topic's own command typed whole, then a mistyped subcommand of it.
    { typed: 'cost:forcast', id: 'cost:forecast', args: [] },
    { typed: 'cost:anomaly', id: 'cost:anomalies', args: [] },
    // A real command followed by words it does not take: the command, with those words.
    { typed: 'cost:movers:extra', id: 'cost:movers', args: ['extra'] },
    { typed: 'health:now', id: 'health', args: ['now'] },
  ])('given "$typed", then $id with $args', ({ typed, id, args }) => {
    expect(closestCommand(typed, IDS)).toMatchObject({ id, args });
  });

  it('given nothing near, then nothing', () => {
    expect(closestCommand('xyzzy', IDS)).toBeUndefined();
  });
});
