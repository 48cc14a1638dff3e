// One HTTP server for everything the sandbox answers: the AWS services (dispatched by
// X-Amz-Target for JSON protocols, by the SigV4 credential scope for Query protocols, each
// through a table of its operations), the admin API under /_sandbox/ (loopback only) and the
// storefront under /store/. It never listens by itself.
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { loopbackRequestRefusal } from '@ballast/core';
import {
  autoScalingOperations,
  AUTO_SCALING_VERSION,
  AUTO_SCALING_XML_NAMESPACE,
  unknownAction,
} from './aws/auto-scaling.js';
import {
  CLOUDWATCH_JSON_NAMESPACE,
  CLOUDWATCH_TARGET_PREFIX,
  cloudWatchOperations,
} from './aws/cloudwatch.js';
import {
  COST_EXPLORER_REGION,
  COST_EXPLORER_TARGET_PREFIX,
  costExplorerOperations,
} from './aws/cost-explorer.js';
import {
  FaultRulesSchema,
  internalFailure,
  type FaultInjector,
  type ServiceName,
} from './aws/faults.js';
import {
  AwsError,
  CORAL_SERVICE,
  credentialScope,
  queryResponse,
  requestTooLarge,
  sendJsonError,
  sendQueryError,
  type JsonErrorStyle,
} from './aws/protocol.js';
import { STS_VERSION, STS_XML_NAMESPACE, stsOperations, unknownStsAction } from './aws/sts.js';
import { Random } from './random.js';
import type { Simulation } from './simulation/simulation.js';
import { BodyTooLargeError, readBody, sendJson } from './http.js';
import { QueryParams } from './aws/query-params.js';
import type { Storefront } from './storefront/storefront.js';
import { DAY_MS, MINUTE_MS } from './time.js';

export interface SandboxContext {
  simulation: Simulation;
  /** current simulated time, epoch ms; each request first advances the simulation to it */
  clock: () => number;
  faults: FaultInjector;
  storefront: Storefront;
  /** multiple of real time the simulation runs at (reported by /_sandbox/status) */
  speed: number;
}

/** What an operation of a Query service is given. */
interface QueryContext {
  simulation: Simulation;
  now: number;
  /** the access key of the request's signature */
  accessKeyId: string;
}

/** A service spoken over AWS Query, found by the service of the SigV4 credential scope. */
interface QueryService {
  /** its name in fault rules and request counts */
  name: ServiceName;
  version: string;
  xmlNamespace: string;
  operations: ReadonlyMap<string, (params: QueryParams, ctx: QueryContext) => string | undefined>;
  unknownAction: (action: string) => AwsError;
}

/** The Query services by credential scope: a Map, so no scope reaches Object.prototype. */
const QUERY_SERVICES: ReadonlyMap<string, QueryService> = new Map<string, QueryService>([
  [
    'autoscaling',
    {
      name: 'autoscaling',
      version: AUTO_SCALING_VERSION,
      xmlNamespace: AUTO_SCALING_XML_NAMESPACE,
      operations: autoScalingOperations,
      unknownAction,
    },
  ],
  [
    'sts',
    {
      name: 'sts',
      version: STS_VERSION,
      xmlNamespace: STS_XML_NAMESPACE,
      operations: stsOperations,
      unknownAction: unknownStsAction,
    },
  ],
]);

/** A service spoken over AWS JSON, found by the prefix of X-Amz-Target. */
interface JsonService {
  /** its name in fault rules and request counts */
  name: ServiceName;
  /** its name in messages */
  title: string;
  operations: ReadonlyMap<
    string,
    (input: unknown, ctx: { simulation: Simulation; now: number }) => unknown
  >;
  style: JsonErrorStyle;
  /** the one region its endpoint answers in, if it has only one */
  region?: string;
}

const CLOUDWATCH_STYLE: JsonErrorStyle = {
  contentType: 'application/x-amz-json-1.0',
  namespace: CLOUDWATCH_JSON_NAMESPACE,
  queryCompatible: true,
};
const JSON_1_1_STYLE: JsonErrorStyle = {
  contentType: 'application/x-amz-json-1.1',
  namespace: undefined,
  queryCompatible: false,
};

/** The JSON services by target prefix: a Map, so no prefix reaches Object.prototype. */
const JSON_SERVICES: ReadonlyMap<string, JsonService> = new Map<string, JsonService>([
  [
    CLOUDWATCH_TARGET_PREFIX,
    {
      name: 'cloudwatch',
      title: 'CloudWatch',
      operations: cloudWatchOperations,
      style: CLOUDWATCH_STYLE,
    },
  ],
  [
    COST_EXPLORER_TARGET_PREFIX,
    {
      name: 'ce',
      title: 'Cost Explorer',
      operations: costExplorerOperations,
      style: JSON_1_1_STYLE,
      region: COST_EXPLORER_REGION,
    },
  ],
]);

/** Largest body each part reads; more is read to the end and dropped, and answered 413. */
const MAX_BODY_BYTES = { aws: 10 * 1024 * 1024, admin: 64 * 1024, store: 16 * 1024 } as const;

/** The sandbox as a server that is not listening yet. */
export function createSandboxServer(ctx: SandboxContext): Server {
  return createServer(sandboxRequestListener(ctx));
}

/** What answers each request, for a server created (and listening) elsewhere. */
export function sandboxRequestListener(ctx: SandboxContext): RequestListener {
  const requestIds = new Random(ctx.simulation.seed, 'request-ids');
  const served = new Map<string, number>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = requestPath(req.url);
    const part =
      path === undefined
        ? undefined
        : path.startsWith('/_sandbox/')
          ? 'admin'
          : path === '/store' || path.startsWith('/store/')
            ? 'store'
            : 'aws';
    // Every body is read before the answer, whatever the route: a connection closed with
    // unread data is reset, and the client loses the answer.
    const body = await readBody(req, MAX_BODY_BYTES[part ?? 'admin']).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return undefined;
      throw error;
    });
    if (path === undefined || part === undefined)
      return sendJson(res, 400, { error: `The request target ${req.url} is not a valid path.` });
    const now = ctx.clock();
    ctx.simulation.advanceTo(now);
    if (part === 'admin') {
      // No authentication, so only this machine: no DNS-rebinding page, no cross-site form.
      const refusal = loopbackRequestRefusal({
        method: req.method,
        host: req.headers.host,
        origin: req.headers.origin,
      });
      if (refusal !== undefined)
        return sendJson(res, 403, {
          error: `The sandbox's admin API answers only on this machine's loopback address: ${refusal}.`,
        });
      if (body === undefined) return sendJson(res, 413, tooLarge(MAX_BODY_BYTES.admin));
      return admin(req, res, path, body);
    }
    if (part === 'store') {
      if (body === undefined) return sendJson(res, 413, tooLarge(MAX_BODY_BYTES.store));
      return ctx.storefront.handle(req, res, path, body);
    }
    if (req.method !== 'POST') {
      return sendJson(res, 404, {
        error: `No route ${req.method} ${path}. AWS requests are POSTs to /; see also GET /_sandbox/status and GET /store/api/products.`,
      });
    }
    return aws(req, res, now, body);
  };

  const aws = async (
    req: IncomingMessage,
    res: ServerResponse,
    now: number,
    body: string | undefined,
  ): Promise<void> => {
    const requestId = requestIds.uuid();
    const target = header(req, 'x-amz-target');
    return target === undefined
      ? query(req, res, now, requestId, body)
      : json(req, res, now, requestId, target, body);
  };

  /**
   * AWS JSON (CloudWatch 1.0, Cost Explorer 1.1): the service and operation are named by
   * X-Amz-Target: <prefix>.<Operation>.
   */
  const json = async (
    req: IncomingMessage,
    res: ServerResponse,
    now: number,
    requestId: string,
    target: string,
    body: string | undefined,
  ): Promise<void> => {
    const dot = target.indexOf('.');
    const prefix = dot < 0 ? target : target.slice(0, dot);
    const operation = dot < 0 ? '' : target.slice(dot + 1);
    const service = JSON_SERVICES.get(prefix);
    // Before the service is known, answer in the protocol version the client spoke.
    const style =
      service?.style ??
      (header(req, 'content-type') === JSON_1_1_STYLE.contentType
        ? JSON_1_1_STYLE
        : CLOUDWATCH_STYLE);
    const fail = (error: AwsError) => sendJsonError(res, error, style, requestId);
    if (body === undefined) return fail(requestTooLarge(MAX_BODY_BYTES.aws));
    const authorization = header(req, 'authorization');
    if (authorization === undefined)
      return fail(
        new AwsError(
          'MissingAuthenticationToken',
          'Missing Authentication Token',
          403,
          `${CORAL_SERVICE}#MissingAuthenticationTokenException`,
        ),
      );
    // A table of own entries: "constructor" or "__proto__" are unknown operations like any other.
    const handler = service?.operations.get(operation);
    if (!service || !handler) {
      const what = service ? `${service.title} operation ${operation}` : `service ${prefix}`;
      return fail(
        new AwsError(
          'UnknownOperationException',
          `The Ballast sandbox does not emulate the ${what}.`,
          400,
          `${CORAL_SERVICE}#UnknownOperationException`,
        ),
      );
    }
    const region = credentialScope(authorization)?.region;
    if (service.region !== undefined && region !== service.region) {
      return fail(
        new AwsError(
          'InvalidSignatureException',
          `Credential should be scoped to a valid region, not '${region ?? ''}'. ${service.title} answers in ${service.region} only.`,
          403,
          `${CORAL_SERVICE}#InvalidSignatureException`,
        ),
      );
    }
    const fault = await applyFault(service.name, operation);
    if (fault) return fail(fault);
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      input = undefined;
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      return fail(
        new AwsError(
          'SerializationException',
          'Start of structure or map found where not expected, or the body is not a JSON object.',
          400,
          `${CORAL_SERVICE}#SerializationException`,
        ),
      );
    try {
      const output = JSON.stringify(handler(input, { simulation: ctx.simulation, now }));
      count(`${service.name}:${operation}`);
      meter(service.name, operation, input, now);
      sendAnswer(res, service.style.contentType, requestId, output);
    } catch (error) {
      fail(asAwsError(error));
    }
  };

  /**
   * Put a successful paid call on the bill: GetMetricData by the metrics it asked for (the
   * queries with a MetricStat), other CloudWatch calls and each Cost Explorer request (every
   * page) by the request. Failed requests are not charged, as on AWS.
   */
  const meter = (service: ServiceName, operation: string, input: object, now: number): void => {
    const billing = ctx.simulation.billing;
    if (service === 'ce') billing.meterApiCall(now, 'ce', operation);
    else if (service === 'cloudwatch') {
      const queries = (input as { MetricDataQueries?: unknown }).MetricDataQueries;
      const metrics = Array.isArray(queries)
        ? queries.filter((q) => typeof q === 'object' && q !== null && 'MetricStat' in q).length
        : 0;
      billing.meterApiCall(now, 'cloudwatch', operation, metrics);
    }
  };

  /**
   * AWS Query (Auto Scaling, STS): a form with Action and Version, the service named by the
   * signature's credential scope.
   */
  const query = async (
    req: IncomingMessage,
    res: ServerResponse,
    now: number,
    requestId: string,
    body: string | undefined,
  ): Promise<void> => {
    const scope = credentialScope(header(req, 'authorization'));
    const service = scope ? QUERY_SERVICES.get(scope.service) : undefined;
    // Before the service is known, errors are in Auto Scaling's namespace.
    const fail = (error: AwsError) =>
      sendQueryError(res, error, service?.xmlNamespace ?? AUTO_SCALING_XML_NAMESPACE, requestId);
    if (body === undefined) return fail(requestTooLarge(MAX_BODY_BYTES.aws));
    const params = new QueryParams(body);
    const action = params.get('Action') ?? '';
    if (header(req, 'authorization') === undefined)
      return fail(
        new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
      );
    if (!scope || !service) {
      return fail(
        new AwsError(
          'InvalidAction',
          `The Ballast sandbox does not emulate the service "${scope?.service ?? 'unknown'}" over the AWS Query protocol.`,
          400,
        ),
      );
    }
    if (action === '')
      return fail(
        new AwsError('MissingAction', 'The request must contain the parameter Action.', 400),
      );
    const handler = service.operations.get(action);
    if (!handler || params.get('Version') !== service.version)
      return fail(service.unknownAction(action));
    const fault = await applyFault(service.name, action);
    if (fault) return fail(fault);
    try {
      const result = handler(params, {
        simulation: ctx.simulation,
        now,
        accessKeyId: scope.accessKeyId,
      });
      count(`${service.name}:${action}`);
      sendAnswer(
        res,
        'text/xml',
        requestId,
        queryResponse(action, service.xmlNamespace, result, requestId),
      );
    } catch (error) {
      fail(asAwsError(error));
    }
  };

  /** Apply a fault rule: wait for a slow one, return the error of a failing one. */
  const applyFault = async (
    service: ServiceName,
    operation: string,
  ): Promise<AwsError | undefined> => {
    const rule = ctx.faults.decide(service, operation);
    if (!rule) return undefined;
    count(`fault:${rule.kind}`);
    if (rule.kind === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, ctx.faults.delayOf(rule)));
      return undefined;
    }
    return ctx.faults.errorFor(rule, service, operation);
  };

  const admin = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    text: string,
  ): Promise<void> => {
    const method = req.method ?? 'GET';
    if (path === '/_sandbox/status' && method === 'GET')
      return sendJson(res, 200, status(ctx, served));
    if (path === '/_sandbox/faults') {
      if (method === 'GET') return sendJson(res, 200, { rules: ctx.faults.rules });
      if (method === 'DELETE') {
        ctx.faults.clear();
        return sendJson(res, 200, { rules: [] });
      }
      if (method === 'POST') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return sendJson(res, 400, {
            error:
              'The body must be JSON: {"rules": [{"service": "cloudwatch", "operation": "GetMetricData", "kind": "throttle", "rate": 0.5}]}',
          });
        }
        const rules = FaultRulesSchema.safeParse(parsed);
        if (!rules.success) {
          return sendJson(res, 400, {
            error: 'Invalid fault rules.',
            issues: rules.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
          });
        }
        ctx.faults.replace(rules.data.rules);
        return sendJson(res, 200, { rules: ctx.faults.rules });
      }
    }
    return sendJson(res, 404, {
      error: `No sandbox admin route ${method} ${path}. Try GET /_sandbox/status or GET|POST|DELETE /_sandbox/faults.`,
    });
  };

  const count = (key: string) => served.set(key, (served.get(key) ?? 0) + 1);

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug of ours, not a request error: say so (the stack goes to the log, never to the
      // client) and keep serving.
      console.error('sandbox: unexpected error', error);
      if (!res.headersSent)
        sendJson(res, 500, { error: `Sandbox bug: ${(error as Error).message}` });
      else res.destroy();
    });
  };
}

/** The path of a request target (origin form, or absolute form as proxies send it). */
function requestPath(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? '/', 'http://sandbox').pathname;
  } catch {
    return undefined;
  }
}

/** A successful AWS answer. */
function sendAnswer(
  res: ServerResponse,
  contentType: string,
  requestId: string,
  body: string,
): void {
  res.writeHead(200, {
    'content-type': contentType,
    'x-amzn-requestid': requestId,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const tooLarge = (limit: number) => ({
  error: `The request body is larger than ${limit} bytes.`,
});

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function asAwsError(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  console.error('sandbox: unexpected error in an AWS handler', error);
  return internalFailure();
}

function status(ctx: SandboxContext, served: Map<string, number>) {
  const sim = ctx.simulation;
  const iso = (ms: number) => new Date(ms).toISOString();
  const bf = sim.traffic.blackFridayBefore(sim.now);
  return {
    platform: sim.platform.name,
    region: sim.platform.region,
    seed: sim.seed,
    speed: ctx.speed,
    simulatedTime: iso(sim.now),
    history: {
      from: iso(sim.startMs),
      oneMinuteFrom: iso(sim.store.oldestFineMinute() * MINUTE_MS),
    },
    blackFriday:
      bf === null ? null : { day: iso(bf), multiplier: sim.traffic.blackFridayMultiplier },
    demand: Math.round(sim.lastDemand * 1000) / 1000,
    billing: {
      from: iso(sim.ledger.firstDay * DAY_MS),
      refreshedAt: iso(sim.ledger.refreshAt(sim.now)),
      anomalies: {
        forgottenInstance: {
          instanceType: sim.anomalies.forgottenInstance.instanceType,
          since: iso(sim.anomalies.forgottenInstance.startMs),
        },
        hotlink: { from: iso(sim.anomalies.hotlink.startMs), to: iso(sim.anomalies.hotlink.endMs) },
      },
    },
    metrics: sim.store.size,
    alarms: {
      total: sim.alarms.length,
      inAlarm: sim.alarms.filter((a) => a.state === 'ALARM').map((a) => a.name),
    },
    groups: [...sim.groups.values()].map((g) => {
      const active = g.instances.filter((i) => i.state !== 'Terminating');
      const onDemand = active.filter((i) => i.purchase === 'on-demand').length;
      return {
        name: g.name,
        tier: g.spec.tier,
        min: g.minSize,
        max: g.maxSize,
        desired: g.desired,
        inService: g.count('InService'),
        pending: g.count('Pending'),
        onDemand,
        spot: active.length - onDemand,
      };
    }),
    faults: ctx.faults.rules,
    requests: Object.fromEntries([...served].sort()),
  };
}
