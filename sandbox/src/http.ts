// Small HTTP helpers shared by the admin API, the storefront and the AWS endpoint.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request body over the limit: answered 413, not treated as a sandbox bug. */
export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
  }
}

/** How much past its limit a body is still read (and dropped) before the connection is cut. */
const DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * A request's whole body, as UTF-8 (invalid bytes become U+FFFD). Past `limit` bytes the rest
 * is still read, and dropped, so the 413 that follows reaches the client (closing a connection
 * with unread data resets it); BodyTooLargeError is thrown at its end. A body that goes on far
 * past the limit has its connection cut.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit + DRAIN_BYTES) {
      req.destroy();
      throw new BodyTooLargeError(limit);
    }
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) throw new BodyTooLargeError(limit);
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
