// The metric math of a target-tracking policy or an alarm, checked once for both: ids that
// start with a lower-case letter and appear once, exactly one query returning data, each
// query either a MetricStat with a statistic the sandbox computes or an expression that
// parses and reads only the other queries.
import type { AlarmMathQuery, MetricStatSpec } from '../simulation/alarms.js';
import { MathSyntaxError, mathReferences, parseMathExpression } from '../simulation/metric-math.js';
import { parseStatistic } from '../metrics/statistics.js';
import type { AwsError } from './protocol.js';

/** A metric data query as both APIs send it (the Query and JSON shapes have the same names). */
export interface MathQueryInput {
  Id: string;
  Expression?: string | undefined;
  MetricStat?:
    | {
        Metric: {
          Namespace: string;
          MetricName: string;
          Dimensions?: { Name: string; Value: string }[] | undefined;
        };
        Stat: string;
        Unit?: string | undefined;
        Period?: number | undefined;
      }
    | undefined;
  Label?: string | undefined;
  Period?: number | undefined;
  ReturnData?: boolean | undefined;
}

const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

/**
 * The queries as the simulation evaluates them, or the error `fail` makes of what is wrong.
 * `period` checks a query's period (seconds) and gives the one to use.
 */
export function checkedMathQueries(
  queries: readonly MathQueryInput[],
  fail: (message: string) => AwsError,
  period: (seconds: number | undefined) => number,
): AlarmMathQuery[] {
  if (queries.length === 0) throw fail('Metrics must have at least one query.');
  const ids = new Set<string>();
  for (const q of queries) {
    if (!QUERY_ID.test(q.Id))
      throw fail(
        `Invalid metric query id ${q.Id}: it must start with a lower-case letter and hold only letters, digits and underscores.`,
      );
    if (ids.has(q.Id)) throw fail(`The metric query id ${q.Id} is used more than once.`);
    ids.add(q.Id);
  }
  const returning = queries.filter((q) => q.ReturnData !== false);
  if (returning.length !== 1)
    throw fail(
      `Exactly one metric query must return data (ReturnData true, the default); ${returning.length} do.`,
    );
  return queries.map((q) => {
    if ((q.Expression === undefined) === (q.MetricStat === undefined))
      throw fail(`The metric query ${q.Id} must have either an Expression or a MetricStat.`);
    const base = {
      id: q.Id,
      ...(q.Label !== undefined ? { label: q.Label } : {}),
      returnData: q.ReturnData !== false,
    };
    if (q.Expression !== undefined) {
      let refs: Set<string>;
      try {
        refs = mathReferences(parseMathExpression(q.Expression));
      } catch (error) {
        if (error instanceof MathSyntaxError)
          throw fail(`Invalid metric math expression in ${q.Id}: ${error.message}.`);
        throw error;
      }
      for (const ref of refs)
        if (!ids.has(ref) || ref === q.Id)
          throw fail(`The expression of ${q.Id} uses ${ref}, which is not another query of it.`);
      return { ...base, expression: q.Expression };
    }
    const m = q.MetricStat!;
    if (!parseStatistic(m.Stat))
      throw fail(`Invalid statistic ${m.Stat} in the metric query ${q.Id}.`);
    const metricStat: MetricStatSpec = {
      namespace: m.Metric.Namespace,
      metricName: m.Metric.MetricName,
      dimensions: (m.Metric.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
      periodSeconds: period(m.Period ?? q.Period),
      stat: m.Stat,
      ...(m.Unit !== undefined ? { unit: m.Unit } : {}),
    };
    return { ...base, metricStat };
  });
}
