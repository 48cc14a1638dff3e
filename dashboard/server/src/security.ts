// Who may talk to the dashboard. Without a token it only answers requests addressed to a
// loopback host name (a web page elsewhere cannot reach it through DNS rebinding); with a
// token every request must carry it (a header or the sign-in cookie, never the URL of an API
// call).
import { createHash, timingSafeEqual } from 'node:crypto';
import { loopbackRequestRefusal } from '@ballast/core';
import type { NextFunction, Request, Response } from 'express';
import type { Credential, Who } from './roles.js';

export const TOKEN_COOKIE = 'ballast_token';

/** Headers for every response: no framing, no sniffing, scripts and data from this origin only. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      // React and recharts set style attributes from script; no inline <style> is needed.
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  });
  next();
}

/**
 * Answers only requests whose Host names a loopback address and whose writes, when they come
 * from a web page, come from a loopback origin (core's one loopback rule, which the sandbox's
 * admin API applies too).
 */
export function loopbackOnly(localUser: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const refusal = loopbackRequestRefusal({
      method: req.method,
      host: req.headers.host,
      origin: req.headers.origin,
    });
    if (refusal === undefined) {
      // Whoever can reach loopback runs as the local user, who may change things as the CLI does.
      res.locals.who = { role: 'operator', name: localUser } satisfies Who;
      return next();
    }
    res
      .status(403)
      .type('text/plain')
      .send(
        `This dashboard has no token, so it only answers on http://127.0.0.1 or http://localhost: ${refusal}. ` +
          'To reach it from elsewhere, start it with a token (BALLAST_DASHBOARD_TOKEN=<secret> ballast dashboard).',
      );
  };
}

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Requires `token` as `Authorization: Bearer <token>`, or the cookie set when a page is opened
 * with `?token=<token>` (EventSource cannot send headers, so the browser's API calls and live
 * feed rely on the cookie). `?token=` signs in page loads only: the page is redirected to the
 * same address without it, so the secret stays out of the address bar, the history and the
 * API's access logs; the API itself never reads a token from the URL.
 */
export function requireToken(credentials: readonly Credential[]) {
  const match = (given: string | undefined): Credential | undefined =>
    given === undefined ? undefined : credentials.find((c) => sameSecret(given, c.token));
  const signedIn = (c: Credential, res: Response, next: NextFunction): void => {
    res.locals.who = { role: c.role, name: c.name } satisfies Who;
    next();
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    const api = req.path.startsWith('/api/');
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
    const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);

    const byHeader = match(bearer);
    if (byHeader) return signedIn(byHeader, res, next);
    const byCookie = match(cookie);
    if (byCookie) return signedIn(byCookie, res, next);
    const queryToken = typeof req.query.token === 'string' ? req.query.token : undefined;
    const byQuery = !api && req.method === 'GET' ? match(queryToken) : undefined;
    if (byQuery) {
      res.cookie(TOKEN_COOKIE, byQuery.token, { httpOnly: true, sameSite: 'strict', path: '/' });
      const url = new URL(req.originalUrl, 'http://placeholder');
      url.searchParams.delete('token');
      res.redirect(303, `${url.pathname}${url.search}`);
      return;
    }

    res.set('WWW-Authenticate', 'Bearer realm="ballast"');
    const message = api
      ? 'This dashboard needs its token: send "Authorization: Bearer <token>", or open the ' +
        'dashboard in a browser first (the address printed by `ballast dashboard`, ending in ' +
        '?token=...), which signs that browser in with a cookie.'
      : 'This dashboard needs its token: open the address printed by `ballast dashboard` ' +
        '(it ends in ?token=...).';
    if (api) res.status(401).json({ error: 'unauthorized', message });
    else res.status(401).type('text/plain').send(message);
  };
}
