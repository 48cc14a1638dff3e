// Who may talk to the dashboard. Without a token it only answers requests addressed to a
// loopback host name (a web page elsewhere cannot reach it through DNS rebinding); with a
// token every request must carry it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

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

const LOOPBACK_HOSTNAMES = new Set(['localhost', '::1', '[::1]']);

/** True for localhost, 127.0.0.0/8 and ::1, with or without brackets. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK_HOSTNAMES.has(h) || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host name of a Host header value, without the port. */
function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0] ?? '';
}

/** Answers only requests whose Host header names a loopback address. */
export function loopbackOnly(req: Request, res: Response, next: NextFunction): void {
  if (isLoopbackHost(hostnameOf(req.headers.host ?? ''))) return next();
  res
    .status(403)
    .type('text/plain')
    .send(
      'This dashboard has no token, so it only answers on http://127.0.0.1 or http://localhost. ' +
        'To reach it from elsewhere, start it with a token (ballast dashboard --token <secret>).',
    );
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
 * Requires `token` as `Authorization: Bearer <token>`, `?token=<token>` or the cookie set after
 * the first `?token=` page load (EventSource cannot send headers, so the browser relies on it).
 * A page opened with `?token=` is redirected to the same address without it, so the secret does
 * not stay in the address bar or the history.
 */
export function requireToken(token: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
    const queryToken = typeof req.query.token === 'string' ? req.query.token : undefined;
    const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);

    if (bearer !== undefined && sameSecret(bearer, token)) return next();
    if (queryToken !== undefined && sameSecret(queryToken, token)) {
      res.cookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
      if (req.method === 'GET' && !req.path.startsWith('/api/')) {
        const url = new URL(req.originalUrl, 'http://placeholder');
        url.searchParams.delete('token');
        res.redirect(303, `${url.pathname}${url.search}`);
        return;
      }
      return next();
    }
    if (cookie !== undefined && sameSecret(cookie, token)) return next();

    res.set('WWW-Authenticate', 'Bearer realm="ballast"');
    const message =
      'This dashboard needs its token: open the address printed by `ballast dashboard` ' +
      '(it ends in ?token=...) or send "Authorization: Bearer <token>".';
    if (req.path.startsWith('/api/')) res.status(401).json({ error: 'unauthorized', message });
    else res.status(401).type('text/plain').send(message);
  };
}
