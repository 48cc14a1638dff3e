// The loopback rule: which host names and addresses stay on this machine. One rule for the
// CLI (may it bind there without a warning?), the dashboard and the sandbox (may a request
// that names this Host, from this Origin, be answered without a token?). Names are
// canonicalised the way browsers do (WHATWG URL host parsing), so 127.1, 0x7f.1 and
// [::ffff:127.0.0.1] are the loopback addresses they denote, while 127.evil.com is a DNS
// name like any other.

/**
 * True for localhost (and names under .localhost, with or without the final dot), 127.0.0.0/8
 * in any IPv4 notation, ::1 and IPv4-mapped 127.0.0.0/8, with or without IPv6 brackets.
 */
export function isLoopbackHost(host: string): boolean {
  const canonical = canonicalHost(host);
  if (canonical === undefined) return false;
  if (canonical.startsWith('['))
    return canonical === '[::1]' || IPV4_MAPPED_LOOPBACK.test(canonical);
  if (IPV4.test(canonical)) return canonical.startsWith('127.');
  const name = canonical.endsWith('.') ? canonical.slice(0, -1) : canonical;
  return name === 'localhost' || name.endsWith('.localhost');
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
// ::ffff:127.x.y.z as the URL parser prints it: [::ffff:7f00:1] ... [::ffff:7fff:ffff]
const IPV4_MAPPED_LOOPBACK = /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/;

/** The host as a browser would address it (lower case, IPv4 dotted-decimal, IPv6 bracketed and compressed). */
function canonicalHost(host: string): string | undefined {
  if (host === '' || /[\s@/\\?#%]/.test(host)) return undefined;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  try {
    const url = new URL(`http://${bracketed}/`);
    // A port or user info would have been read from the host text: not a bare host.
    return url.port === '' && url.username === '' ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

/** The host name of a Host header value (`127.0.0.1:7300`, `[::1]:4566`), without the port. */
export function hostOfHostHeader(value: string): string | undefined {
  if (value === '' || /[\s@/\\?#%]/.test(value)) return undefined;
  try {
    const url = new URL(`http://${value}/`);
    return url.username === '' && url.password === '' ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

/** The host of an Origin header (`http://localhost:7300`); undefined for `null` and anything else. */
function hostOfOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    const bare =
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.username === '' &&
      url.pathname === '/' &&
      url.search === '' &&
      url.hash === '';
    return bare ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

export interface RequestOrigin {
  method?: string;
  /** the Host header */
  host?: string | undefined;
  /** the Origin header, sent by browsers on cross-origin requests and on every write */
  origin?: string | undefined;
}

/**
 * Why a request must not be answered by a server that trusts loopback instead of asking for a
 * token, or undefined when it may. The Host must name a loopback address (a page elsewhere
 * cannot reach the server through DNS rebinding); a write (anything but GET, HEAD, OPTIONS)
 * that carries an Origin must come from a loopback origin too (a page elsewhere cannot post
 * a form to it). Clients that send no Origin (curl, SDKs) are not browsers' pages.
 */
export function loopbackRequestRefusal(request: RequestOrigin): string | undefined {
  const host = request.host === undefined ? undefined : hostOfHostHeader(request.host);
  if (host === undefined || !isLoopbackHost(host))
    return `the Host header (${request.host ?? 'none'}) does not name a loopback address such as 127.0.0.1 or localhost`;
  const method = (request.method ?? 'GET').toUpperCase();
  if (request.origin === undefined || SAFE_METHODS.has(method)) return undefined;
  const origin = hostOfOrigin(request.origin);
  if (origin === undefined || !isLoopbackHost(origin))
    return `a ${method} from the web page at ${request.origin} is not from this machine's loopback address`;
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
