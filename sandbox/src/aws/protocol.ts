// The wire-level pieces shared by the emulated services: errors as each protocol spells
// them, the SigV4 credential scope, opaque pagination tokens.
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { xmlEscape } from './xml.js';

/** An error to answer with, in the protocol of the service that raised it. */
export class AwsError extends Error {
  constructor(
    /** the query-protocol code, e.g. InvalidParameterValue, Throttling */
    readonly code: string,
    message: string,
    readonly status = 400,
    /** the JSON __type shape name when it differs from the code (e.g. ...Exception) */
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

/**
 * An AWS JSON 1.0 error of a query-compatible service (CloudWatch): the query code travels
 * in the x-amzn-query-error header, the shape in __type.
 */
export function sendJsonError(
  res: ServerResponse,
  error: AwsError,
  namespace: string,
  requestId: string,
): void {
  const body = JSON.stringify({
    __type: `${namespace}#${error.shapeName}`,
    message: error.message,
  });
  res.writeHead(error.status, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-requestid': requestId,
    'x-amzn-query-error': `${error.code};${error.fault}`,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** An AWS Query error (Auto Scaling): an XML ErrorResponse. */
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
): T | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    const raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      c?: unknown;
      f?: unknown;
    };
    if (raw.f !== fingerprint) throw invalidNextToken();
    return cursor.parse(raw.c);
  } catch {
    throw invalidNextToken();
  }
}

/** A stable fingerprint of the parts of a request that define its result set. */
export function fingerprint(value: unknown): string {
  const text = JSON.stringify(value);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

/** zod issues as AWS's "N validation errors detected: Value ... at '...' failed to satisfy constraint: ...". */
export function zodToValidationError(error: z.ZodError): AwsError {
  const issues = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path
      .map((p) => (typeof p === 'number' ? String(p + 1) : lowerFirst(String(p))))
      .join('.');
    return `Value at '${path}' failed to satisfy constraint: ${issue.message}`;
  });
  const n = error.issues.length;
  return validationError(
    `${n} validation error${n === 1 ? '' : 's'} detected: ${issues.join('; ')}`,
  );
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
