// Runs a bundled k6 script in a Node vm with small stand-ins for the k6 modules, so tests
// can prove what the script does against a real storefront. k6's http calls are
// synchronous; here each one is handed to the parent thread (which owns the sandbox and
// fetches), and this thread waits on a shared flag until the answer is there.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';

const { program, env, seed, iterations, signal, replies, truncateBinary } = workerData;
const flag = new Int32Array(signal);
const record = { requests: [], checks: [], metrics: [], groups: [], sleeps: [], opened: [] };

const context = vm.createContext({ __ENV: { ...env }, __VU: 1, __ITER: 0, console });
const inContext = (code) => vm.runInContext(code, context);
const toContextBuffer = inContext(
  '(function (bytes) { var b = new ArrayBuffer(bytes.length); new Uint8Array(b).set(bytes); return b; })',
);
const parseJson = inContext('JSON.parse');

// A seeded Math.random (mulberry32), so a run takes the same path every time.
let state = seed >>> 0;
inContext('Math').random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

let init = true;
context.open = (path) => {
  if (!init) throw new Error('open() is only available in the init context');
  record.opened.push(path);
  return readFileSync(path, 'utf8');
};

function request(method, url, body, params = {}) {
  parentPort.postMessage({ method, url, body: body ?? null, headers: params.headers ?? {} });
  Atomics.wait(flag, 0, 0);
  Atomics.store(flag, 0, 0);
  const answer = receiveMessageOnPort(replies).message;
  const responseType = params.responseType ?? 'text';
  let bodyOut = null;
  if (responseType === 'binary') {
    const bytes = new Uint8Array(answer.body);
    bodyOut = toContextBuffer(truncateBinary ? bytes.subarray(0, bytes.length - 4) : bytes);
  } else if (responseType === 'text') bodyOut = Buffer.from(answer.body).toString('utf8');
  const tags = { ...(params.tags ?? {}) };
  record.requests.push({ method, url, status: answer.status, bytes: answer.body.byteLength, tags });
  return {
    status: answer.status,
    url,
    body: bodyOut,
    headers: answer.headers,
    timings: { duration: answer.ms },
    json() {
      return parseJson(bodyOut);
    },
  };
}

const k6 = {
  check(value, sets, tags) {
    let all = true;
    for (const [name, fn] of Object.entries(sets)) {
      const ok = Boolean(fn(value));
      record.checks.push({ name, ok, tags: tags ?? {} });
      all = all && ok;
    }
    return all;
  },
  group(name, fn) {
    record.groups.push(name);
    return fn();
  },
  sleep(seconds) {
    record.sleeps.push(seconds);
  },
  fail(message) {
    throw new Error(message);
  },
};
const http = {
  get: (url, params) => request('GET', url, null, params),
  post: (url, body, params) => request('POST', url, body, params),
  request: (method, url, body, params) => request(method, url, body, params),
  batch: (requests) =>
    requests.map((r) =>
      Array.isArray(r)
        ? request(r[0], r[1], r[2], r[3])
        : request(r.method, r.url, r.body, r.params),
    ),
};
const metric = (type) =>
  class {
    constructor(name) {
      this.name = name;
    }
    add(value, tags) {
      record.metrics.push({ type, name: this.name, value, tags: tags ?? {} });
    }
  };
const modules = {
  k6: { ...k6, default: k6 },
  'k6/http': { ...http, default: http },
  'k6/metrics': {
    Trend: metric('trend'),
    Counter: metric('counter'),
    Rate: metric('rate'),
    Gauge: metric('gauge'),
  },
};
context.__k6 = (name) => {
  const found = modules[name];
  if (!found) throw new Error(`the script imports ${name}, which this stand-in does not have`);
  return found;
};
context.__exports = {};

let error;
try {
  inContext(program);
  init = false;
  for (let i = 0; i < iterations; i++) {
    context.__ITER = i;
    context.__exports.default();
  }
} catch (err) {
  error = String(err && err.stack ? err.stack : err);
}
parentPort.postMessage({
  done: true,
  record,
  options: JSON.parse(JSON.stringify(context.__exports.options ?? null)),
  error,
});
