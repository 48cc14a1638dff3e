// The wire-level pieces shared by the emulated services: errors as each protocol spells
// them, the SigV4 credential scope, opaque pagination tokens.
import type { ServerResponse } from 'node:http';
import { fnv1a32 } from '@ballast/core';
import { z } from 'zod';
import { xmlEscape } from './xml.js';

/** Where AWS's request-handling framework names the errors it raises before any operation runs. */
export const CORAL_SERVICE = 'com.amazon.coral.service';
/** ... and throttling. */
export const CORAL_AVAILABILITY = 'com.amazon.coral.availability';

/** An error to answer with, in the protocol of the service that raised it. */
export class AwsError extends Error {
  constructor(
    /** the query-protocol code, e.g. InvalidParameterValue, Throttling */
    readonly code: string,
    message: string,
    readonly status = 400,
    /**
     * The JSON shape: a name in the service's namespace (e.g. ValidationException), or a full
     * shape id `namespace#Name` for errors of AWS's framework (see CORAL_SERVICE).
     */
    readonly shapeName: string = code,
  ) {
    super(message);
    this.name = code;
  }

  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export const validationError = (message: string) =>
  new AwsError('ValidationError', message, 400, 'ValidationException');
export const invalidParameter = (message: string) =>
  new AwsError('InvalidParameterValue', message, 400, 'InvalidParameterValueException');
export const invalidNextToken = () =>
  new AwsError('InvalidNextToken', 'The NextToken is not valid for this request.', 400);
export const requestTooLarge = (limit: number) =>
  new AwsError(
    'RequestEntityTooLarge',
    `The request body is larger than ${limit} bytes.`,
    413,
    `${CORAL_SERVICE}#RequestEntityTooLargeException`,
  );

/**
 * The `__type` of a JSON error, as AWS sends it: one shape id, `namespace#Name`, or the bare
 * name for services that send it so (Cost Explorer). (SDKs take the name after the first `#`,
 * so a second one would make them read the namespace.)
 */
export function jsonErrorType(error: AwsError, serviceNamespace: string | undefined): string {
  if (error.shapeName.includes('#') || serviceNamespace === undefined) return error.shapeName;
  return `${serviceNamespace}#${error.shapeName}`;
}

/** How a JSON-protocol service writes its errors. */
export interface JsonErrorStyle {
  contentType: 'application/x-amz-json-1.0' | 'application/x-amz-json-1.1';
  /** namespace of the service's own shapes in __type; undefined: bare names */
  namespace: string | undefined;
  /** query-compatible services (CloudWatch) also send the query code in x-amzn-query-error */
  queryCompatible: boolean;
}

/**
 * An AWS JSON error: the shape in __type and, for a query-compatible service (CloudWatch),
 * the query code in the x-amzn-query-error header.
 */
export function sendJsonError(
  res: ServerResponse,
  error: AwsError,
  style: JsonErrorStyle,
  requestId: string,
): void {
  const body = JSON.stringify({
    __type: jsonErrorType(error, style.namespace),
    message: error.message,
  });
  res.writeHead(error.status, {
    'content-type': style.contentType,
    'x-amzn-requestid': requestId,
    ...(style.queryCompatible ? { 'x-amzn-query-error': `${error.code};${error.fault}` } : {}),
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * An AWS Query answer: <Action>Response with the operation's <Action>Result (none for an
 * operation without output, as AWS answers DeletePolicy) and the request id.
 */
export function queryResponse(
  action: string,
  xmlNamespace: string,
  resultXml: string | undefined,
  requestId: string,
): string {
  const result = resultXml === undefined ? '' : `<${action}Result>${resultXml}</${action}Result>`;
  return (
    `<${action}Response xmlns="${xmlNamespace}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`
  );
}

/** An AWS Query error (Auto Scaling, STS): an XML ErrorResponse. */
export function sendQueryError(
  res: ServerResponse,
  error: AwsError,
  xmlNamespace: string,
  requestId: string,
): void {
  const body =
    `<ErrorResponse xmlns="${xmlNamespace}"><Error><Type>${error.fault}</Type><Code>${xmlEscape(error.code)}</Code>` +
    `<Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(error.status, {
    'content-type': 'text/xml',
    'x-amzn-requestid': requestId,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/**
 * The credential scope of a SigV4 Authorization header
 * (AWS4-HMAC-SHA256 Credential=AKID/20251123/us-east-1/monitoring/aws4_request, ...).
 * Signatures are not verified: the sandbox accepts any credentials.
 */
export function credentialScope(authorization: string | undefined): CredentialScope | undefined {
  const match = /Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/.exec(
    authorization ?? '',
  );
  if (!match) return undefined;
  return { accessKeyId: match[1]!, date: match[2]!, region: match[3]!, service: match[4]! };
}

/**
 * Opaque pagination tokens: a cursor plus a fingerprint of the request, so a token is
 * refused for a different request, as AWS does.
 */
export function encodeToken<T>(cursor: T, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ c: cursor, f: fingerprint })).toString('base64url');
}

export function decodeToken<T>(
  token: string | undefined,
  fingerprint: string,
  cursor: z.ZodType<T>,
  errors: {
    /** a token that is not one of ours */
    invalid: () => AwsError;
    /** one of ours, for another request (default: invalid) */
    otherRequest?: () => AwsError;
  } = { invalid: invalidNextToken },
): T | undefined {
  if (token === undefined || token === '') return undefined;
  let raw: { c?: unknown; f?: unknown };
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof raw;
  } catch {
    throw errors.invalid();
  }
  const parsed = cursor.safeParse(raw?.c);
  if (typeof raw !== 'object' || raw === null || !parsed.success) throw errors.invalid();
  if (raw.f !== fingerprint) throw (errors.otherRequest ?? errors.invalid)();
  return parsed.data;
}

/** A stable fingerprint of the parts of a request that define its result set. */
export function fingerprint(value: unknown): string {
  return fnv1a32(JSON.stringify(value) ?? '').toString(36);
}

/**
 * zod issues as AWS's "N validation errors detected: Value '...' at 'a.1.member.b' failed to
 * satisfy constraint: Member must ..." (the first five, as AWS lists them).
 */
export function zodToValidationError(error: z.ZodError, input?: unknown): AwsError {
  const issues = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `${p + 1}.member` : lowerFirst(String(p))))
      .join('.');
    const value = valueAt(input, issue.path);
    const missing =
      value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
    const shown = missing
      ? 'null '
      : value === undefined || typeof value === 'object'
        ? ''
        : `'${clip(String(value))}' `;
    const rule = missing ? 'Member must not be null' : constraint(issue);
    return `Value ${shown}at '${path}' failed to satisfy constraint: ${rule}`;
  });
  const n = error.issues.length;
  return validationError(
    `${n} validation error${n === 1 ? '' : 's'} detected: ${issues.join('; ')}`,
  );
}

/** The constraint in AWS's words where it has them. */
function constraint(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    const what = issue.origin === 'number' || issue.origin === 'int' ? 'value' : 'length';
    const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum;
    const relation = issue.code === 'too_big' ? 'less than' : 'greater than';
    return `Member must have ${what} ${relation} or equal to ${String(bound)}`;
  }
  if (issue.code === 'invalid_value')
    return `Member must satisfy enum value set: [${issue.values.map(String).join(', ')}]`;
  return issue.message;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at = input;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

const clip = (text: string) => (text.length > 100 ? `${text.slice(0, 100)}...` : text);

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
