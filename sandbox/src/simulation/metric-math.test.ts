import { describe, expect, it } from 'vitest';
import {
  evaluateMath,
  mathReferences,
  MathSyntaxError,
  parseMathExpression,
} from './metric-math.js';

const values: Record<string, number | undefined> = { m1: 120, m2: 40, m3: 0, gone: undefined };
const value = (expression: string) =>
  evaluateMath(parseMathExpression(expression), (id) => values[id]);

describe('metric math', () => {
  it.each([
    ['m1 / m2', 3],
    ['(m1 + m2) / m2', 4],
    ['m1 + m2 / m2', 121],
    ['-m2 * 2 + 100', 20],
    ['m1/m2*2', 6],
    ['1.5e2 - m1', 30],
  ])('%s = %d', (expression, expected) => {
    expect(value(expression)).toBe(expected);
  });

  it('gives no value for a missing input or a division by zero, as CloudWatch gives none', () => {
    expect(value('m1 / m3')).toBeUndefined();
    expect(value('m1 + gone')).toBeUndefined();
  });

  it('names what it reads', () => {
    expect([...mathReferences(parseMathExpression('(visible + inflight) / instances'))]).toEqual([
      'visible',
      'inflight',
      'instances',
    ]);
  });

  it.each([
    ['m1 /', /is missing at its end/],
    ['m1 m2', /an operator is expected at "m2"/],
    ['(m1 + m2', /"\)" is missing/],
    ['m1 % m2', /unexpected "%"/],
    ['FILL(m1, 0)', /function FILL is not one the Ballast sandbox evaluates/],
    ['('.repeat(100) + 'm1' + ')'.repeat(100), /nests too deeply/],
  ])('refuses %s', (expression, message) => {
    expect(() => parseMathExpression(expression)).toThrow(MathSyntaxError);
    expect(() => parseMathExpression(expression)).toThrow(message);
  });
});
