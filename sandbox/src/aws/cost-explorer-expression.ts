// Cost Explorer filter expressions (And, Or, Not over Dimensions, Tags and CostCategories),
// checked the way GetCostAndUsage checks them and compiled to a predicate over line items.
// Parsed by hand, with a bounded depth, so a hostile nesting cannot exhaust the stack.
import { DIMENSIONS, type Line } from '../billing/lines.js';
import { AwsError } from './protocol.js';

export type LinePredicate = (line: Line) => boolean;

/** The Dimension enum of the service model. */
export const DIMENSION_NAMES = [
  'AZ',
  'INSTANCE_TYPE',
  'LINKED_ACCOUNT',
  'PAYER_ACCOUNT',
  'LINKED_ACCOUNT_NAME',
  'OPERATION',
  'PURCHASE_TYPE',
  'REGION',
  'SERVICE',
  'SERVICE_CODE',
  'USAGE_TYPE',
  'USAGE_TYPE_GROUP',
  'RECORD_TYPE',
  'OPERATING_SYSTEM',
  'TENANCY',
  'SCOPE',
  'PLATFORM',
  'SUBSCRIPTION_ID',
  'LEGAL_ENTITY_NAME',
  'DEPLOYMENT_OPTION',
  'DATABASE_ENGINE',
  'CACHE_ENGINE',
  'INSTANCE_TYPE_FAMILY',
  'BILLING_ENTITY',
  'RESERVATION_ID',
  'RESOURCE_ID',
  'RIGHTSIZING_TYPE',
  'SAVINGS_PLANS_TYPE',
  'SAVINGS_PLAN_ARN',
  'PAYMENT_OPTION',
  'AGREEMENT_END_DATE_TIME_AFTER',
  'AGREEMENT_END_DATE_TIME_BEFORE',
  'INVOICING_ENTITY',
  'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
  'ANOMALY_TOTAL_IMPACT_PERCENTAGE',
] as const;

/** Dimensions the model reserves for cost categories and anomaly subscriptions. */
const NOT_FOR_COST_AND_USAGE = new Set([
  'LINKED_ACCOUNT_NAME',
  'SERVICE_CODE',
  'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
  'ANOMALY_TOTAL_IMPACT_PERCENTAGE',
]);

const MAX_DEPTH = 10;
const ROOTS = ['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'] as const;

export const ceValidation = (message: string) =>
  new AwsError('ValidationException', message, 400, 'ValidationException');

/** Check a dimension name (of a filter, a group or GetDimensionValues). */
export function checkDimension(key: unknown, where: string): string {
  if (typeof key !== 'string' || !(DIMENSION_NAMES as readonly string[]).includes(key)) {
    throw ceValidation(
      `Value '${String(key).slice(0, 100)}' at '${where}' failed to satisfy constraint: Member must satisfy enum value set: [${DIMENSION_NAMES.join(', ')}]`,
    );
  }
  if (NOT_FOR_COST_AND_USAGE.has(key))
    throw ceValidation(`Dimension ${key} is not supported in this operation.`);
  return key;
}

/**
 * Compile a Filter. `where` names it in messages ("filter"). Matching follows the API
 * reference: Dimensions match EQUALS (CASE_SENSITIVE); Tags and CostCategories also ABSENT.
 */
export function compileExpression(
  raw: unknown,
  accountId: string,
  where = 'filter',
): LinePredicate {
  return compile(raw, accountId, where, 1);
}

function compile(raw: unknown, accountId: string, where: string, depth: number): LinePredicate {
  if (depth > MAX_DEPTH)
    throw ceValidation(`The expression at '${where}' is nested deeper than ${MAX_DEPTH} levels.`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw ceValidation(`Expression '${where}' must be an object.`);
  const present = ROOTS.filter(
    (k) => Object.hasOwn(raw, k) && (raw as Record<string, unknown>)[k] != null,
  );
  if (present.length !== 1) {
    throw ceValidation(
      present.length === 0
        ? `Expression '${where}' is empty: give one of And, Or, Not, Dimensions, Tags or CostCategories.`
        : `Expression '${where}' has ${present.join(' and ')}: an expression has exactly one of And, Or, Not, Dimensions, Tags or CostCategories; nest them with And or Or.`,
    );
  }
  const root = present[0]!;
  const value = (raw as Record<string, unknown>)[root];
  switch (root) {
    case 'And':
    case 'Or': {
      if (!Array.isArray(value) || value.length < 2)
        throw ceValidation(`${root} expression must have at least 2 operands`);
      const parts = value.map((v, i) =>
        compile(v, accountId, `${where}.${lower(root)}.${i + 1}.member`, depth + 1),
      );
      return root === 'And'
        ? (line) => parts.every((p) => p(line))
        : (line) => parts.some((p) => p(line));
    }
    case 'Not': {
      const inner = compile(value, accountId, `${where}.not`, depth + 1);
      return (line) => !inner(line);
    }
    case 'Dimensions': {
      const { key, values } = selector(value, `${where}.dimensions`, ['EQUALS', 'CASE_SENSITIVE']);
      const dimension = checkDimension(key, `${where}.dimensions.key`);
      if (values.length === 0)
        throw ceValidation(`Dimension ${dimension} in '${where}' needs at least one value.`);
      const of = DIMENSIONS[dimension];
      const wanted = new Set(values);
      return (line) => {
        const v = of?.(line, accountId);
        return v !== undefined && wanted.has(v);
      };
    }
    case 'Tags':
    case 'CostCategories': {
      const what = root === 'Tags' ? 'tags' : 'costCategories';
      const { key, values, options } = selector(value, `${where}.${what}`, [
        'EQUALS',
        'ABSENT',
        'CASE_SENSITIVE',
      ]);
      if (typeof key !== 'string' || key === '')
        throw ceValidation(`${root} in '${where}' needs a Key.`);
      const absent = options.includes('ABSENT');
      if (!absent && values.length === 0)
        throw ceValidation(
          `${root} ${key} in '${where}' needs at least one value, or MatchOptions ABSENT.`,
        );
      // The account has no cost categories: no line has a value for one.
      const valueOf = (line: Line): string | undefined =>
        root === 'Tags' ? (line.tags as Record<string, string | undefined>)[key] : undefined;
      const wanted = new Set(values);
      return (line) => {
        const v = valueOf(line);
        return v === undefined ? absent : wanted.has(v);
      };
    }
  }
}

function selector(
  raw: unknown,
  where: string,
  allowed: readonly string[],
): { key: unknown; values: string[]; options: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw ceValidation(`'${where}' must be an object with Key and Values.`);
  const r = raw as Record<string, unknown>;
  const values = r.Values ?? [];
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' && v.length <= 1024))
    throw ceValidation(`'${where}.values' must be a list of strings.`);
  if (values.length > 10_000)
    throw ceValidation(`'${where}.values' has ${values.length} values; the limit is 10,000.`);
  const options = r.MatchOptions ?? [];
  if (!Array.isArray(options) || !options.every((o) => typeof o === 'string'))
    throw ceValidation(`'${where}.matchOptions' must be a list of match options.`);
  for (const option of options) {
    if (!allowed.includes(option)) {
      throw ceValidation(
        `MatchOptions ${String(option).slice(0, 50)} is not supported here. Valid values are ${allowed.join(', ')}.`,
      );
    }
  }
  return { key: r.Key, values: values as string[], options: options as string[] };
}

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
