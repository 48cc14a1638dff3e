// Who is asking, and may they change things. Viewers see everything; operators may also
// apply and revert changes. Every write (POST) must also come from this dashboard's own page:
// the Origin header names this host, and the request carries the CSRF token that
// GET /api/session gives to the signed-in browser (an HMAC of who is signed in, so a page on
// another site can neither read nor guess it).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';

export const ROLES = ['viewer', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** One person or team that may sign in: its role, the name the audit records, its token. */
export const CredentialSchema = z
  .object({
    role: z.enum(ROLES),
    name: z.string().min(1).max(100),
    token: z.string().min(16, 'a token must be at least 16 characters'),
  })
  .strict();
export type Credential = z.infer<typeof CredentialSchema>;

/** Who a request comes from, set on res.locals.who by the authentication middleware. */
export interface Who {
  role: Role;
  name: string;
}

export const CSRF_HEADER = 'x-ballast-csrf';

export function whoOf(res: Response): Who {
  return res.locals.who as Who;
}

/**
 * Reads a tokens file: one credential a line, `<role> <name> <token>`; `#` starts a comment.
 * Kept out of argv and URLs so tokens never show in `ps` or logs.
 */
export function parseTokensFile(text: string, file: string): Credential[] {
  const credentials: Credential[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const [role, name, token, ...rest] = line.split(/\s+/);
    const parsed = CredentialSchema.safeParse({ role, name, token });
    if (!parsed.success || rest.length > 0) {
      throw new Error(
        `${file}:${i + 1}: expected "<viewer|operator> <name> <token>"` +
          (parsed.success ? '' : ` (${parsed.error.issues.map((x) => x.message).join('; ')})`),
      );
    }
    credentials.push(parsed.data);
  });
  return credentials;
}

/** The CSRF token of a signed-in identity under this server's secret. */
export function csrfToken(secret: Buffer, who: Who): string {
  return createHmac('sha256', secret).update(`${who.role}\n${who.name}`).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The host:port an Origin header names, or undefined when it is not a URL. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * Refuses a write that does not come from this dashboard's page: a foreign or missing Origin
 * (403), a missing or wrong CSRF token (403).
 */
export function checkWrite(secret: Buffer) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    const host = req.headers.host;
    if (origin === undefined || originHost(origin) !== host) {
      res.status(403).json({
        error: 'forbidden-origin',
        message:
          origin === undefined
            ? 'Changes must come from the dashboard page: the request has no Origin header. Scripts must send "Origin: http://<dashboard host>".'
            : `Changes must come from the dashboard page itself, not from ${origin}.`,
      });
      return;
    }
    const given = req.headers[CSRF_HEADER];
    if (typeof given !== 'string' || !same(given, csrfToken(secret, whoOf(res)))) {
      res.status(403).json({
        error: 'csrf',
        message: `The request lacks this session's CSRF token (header ${CSRF_HEADER}, from GET /api/session). Reload the page and try again.`,
      });
      return;
    }
    next();
  };
}

/** Refuses (403) a request of anyone but an operator, saying what only an operator may do. */
export function operatorOnly(what: (req: Request) => string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const who = whoOf(res);
    if (who.role === 'operator') return next();
    res.status(403).json({
      error: 'forbidden-role',
      message: `${who.name} signed in as a viewer: only an operator may ${what(req)}. Ask an operator, or sign in with an operator token.`,
    });
  };
}

/** Refuses (403) a request of anyone but an operator. */
export const requireOperator = operatorOnly(
  (req) => `${req.path.endsWith('/revert') ? 'revert' : 'apply'} changes`,
);

export const newCsrfSecret = (): Buffer => randomBytes(32);
