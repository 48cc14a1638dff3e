// Who may talk to the dashboard. Without a token it only answers requests addressed to a
// loopback host name (a web page elsewhere cannot reach it through DNS rebinding); with a
// token every request must carry it (a header, or the cookie of the sign-in form; never a URL).
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
    refuseNonLoopback(refusal, res);
  };
}

function refuseNonLoopback(refusal: string, res: Response): void {
  res
    .status(403)
    .type('text/plain')
    .send(
      `This dashboard has no token, so it only answers on http://127.0.0.1 or http://localhost: ${refusal}. ` +
        'To reach it from elsewhere, start it with a token (BALLAST_DASHBOARD_TOKEN=<secret> ballast dashboard).',
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

/** Where the sign-in form posts: a token typed into a page, never carried in an address. */
export const SIGN_IN_PATH = '/signin';
/** What the sign-in form itself needs, served to anyone (nothing in them is private). */
const SIGN_IN_FILES = new Set(['/signin.css', '/favicon.svg']);
const SIGN_IN_BODY_LIMIT = 4096;

/**
 * Requires `token` as `Authorization: Bearer <token>` (scripts), or the cookie that the
 * sign-in form sets (EventSource cannot send headers, so the browser's API calls and live
 * feed rely on the cookie). A page opened without either answers the sign-in form, which
 * POSTs the token to /signin: it never travels in an address, so it stays out of the
 * address bar, the history, the terminal and access logs, and no URL reads it.
 */
export function requireToken(credentials: readonly Credential[]) {
  const match = (given: string | undefined): Credential | undefined =>
    given === undefined ? undefined : credentials.find((c) => sameSecret(given, c.token));
  const signedIn = (c: Credential, res: Response, next: NextFunction): void => {
    res.locals.who = { role: c.role, name: c.name } satisfies Who;
    next();
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path === SIGN_IN_PATH && req.method === 'POST') {
      void signIn(req, res, match);
      return;
    }
    if (req.method === 'GET' && SIGN_IN_FILES.has(req.path)) return next();
    const api = req.path.startsWith('/api/');
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
    const cookie = cookieValue(req.headers.cookie, TOKEN_COOKIE);

    const byHeader = match(bearer);
    if (byHeader) return signedIn(byHeader, res, next);
    const byCookie = match(cookie);
    if (byCookie) return signedIn(byCookie, res, next);

    res.set('WWW-Authenticate', 'Bearer realm="ballast"');
    if (api) {
      res.status(401).json({
        error: 'unauthorized',
        message:
          'This dashboard needs a token: send "Authorization: Bearer <token>", or sign in to ' +
          'the dashboard in a browser first, which keeps a cookie for its API calls.',
      });
      return;
    }
    res.status(401);
    sendSignInPage(res, safeNext(req.originalUrl), undefined);
  };
}

/** The form's POST: the token in the body, from this dashboard's own page. */
async function signIn(
  req: Request,
  res: Response,
  match: (given: string | undefined) => Credential | undefined,
): Promise<void> {
  let text: string;
  try {
    text = await readBody(req, SIGN_IN_BODY_LIMIT);
  } catch {
    res.status(413).type('text/plain').send('The sign-in form is larger than a token can be.');
    return;
  }
  const form = new URLSearchParams(text);
  const next = safeNext(form.get('next') ?? '/');
  // A page on another site must not sign this browser in as someone else (login CSRF). The
  // form's page sets its referrer policy to same-origin, so a browser sends its real Origin
  // (under the dashboard's no-referrer it would send "null").
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, req.headers.host)) {
    res.status(403).type('text/plain').send("Sign in from the dashboard's own page.");
    return;
  }
  const credential = match(form.get('token')?.trim() || undefined);
  if (!credential) {
    res.status(401);
    sendSignInPage(res, next, "That token is not one of this dashboard's. Check it and try again.");
    return;
  }
  res.cookie(TOKEN_COOKIE, credential.token, { httpOnly: true, sameSite: 'strict', path: '/' });
  res.redirect(303, next);
}

/** A path on this dashboard to return to after signing in; anything else is "/". */
function safeNext(target: string): string {
  return /^\/(?![/\\])[^\s]*$/.test(target) && !target.startsWith(SIGN_IN_PATH) ? target : '/';
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function readBody(req: Request, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('too large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The sign-in form; plain HTML styled by /signin.css (the CSP allows no inline style). */
function sendSignInPage(res: Response, next: string, problem: string | undefined): void {
  res
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(
      `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>Sign in · Ballast</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/signin.css">
</head>
<body>
<main class="signin">
<h1>Ballast</h1>
<p>This dashboard needs your token. Ask whoever runs it for one; an operator token may also change the platform.</p>
${problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="${SIGN_IN_PATH}">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<input type="text" name="username" autocomplete="username" value="ballast" hidden>
<label for="token">Token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`,
    );
}

/**
 * Behind a reverse proxy that authenticates people (oauth2-proxy, an SSO gateway) and passes
 * the signed-in name in `header`: operators are the names listed, everyone else is a viewer;
 * a request without the header is refused. The proxy must be the only way in (the dashboard
 * bound where only the proxy reaches it) and must drop the header from what clients send.
 */
export function trustedProxyHeader(options: { header: string; operators: readonly string[] }) {
  const header = options.header.toLowerCase();
  return (req: Request, res: Response, next: NextFunction): void => {
    const value = req.headers[header];
    const name = typeof value === 'string' ? value.trim() : '';
    if (!name) {
      const message = `This dashboard is served behind an authenticating proxy, which did not send ${options.header}: sign in through the proxy's address.`;
      if (req.path.startsWith('/api/')) res.status(401).json({ error: 'unauthorized', message });
      else res.status(401).type('text/plain').send(message);
      return;
    }
    res.locals.who = {
      role: options.operators.includes(name) ? 'operator' : 'viewer',
      name,
    } satisfies Who;
    next();
  };
}
