// Runs a bundled k6 script's default function in a Node vm (k6-vm-worker.mjs), its k6
// requests answered by real HTTP from this thread: what the script really sends, checks
// and measures, without k6.
import * as acorn from 'acorn';
import { MessageChannel, Worker } from 'node:worker_threads';

export interface ScriptRun {
  requests: {
    method: string;
    url: string;
    status: number;
    bytes: number;
    tags: Record<string, string>;
  }[];
  checks: { name: string; ok: boolean }[];
  metrics: { type: string; name: string; value: number; tags: Record<string, string> }[];
  groups: string[];
  sleeps: number[];
  opened: string[];
  options: Record<string, unknown> | null;
  error?: string;
}

/** The script as ES2015 (throws if it is not), its imports, and a program the vm can run. */
export function parseScript(code: string): { imports: string[]; program: string } {
  const ast = acorn.parse(code, { ecmaVersion: 2015, sourceType: 'module' });
  const imports: string[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  for (const node of ast.body) {
    if (node.type === 'ImportDeclaration') {
      const source = String(node.source.value);
      imports.push(source);
      const text = node.specifiers
        .map((s) => {
          const from = `__k6(${JSON.stringify(source)})`;
          if (s.type === 'ImportDefaultSpecifier') return `var ${s.local.name} = ${from}.default;`;
          if (s.type === 'ImportNamespaceSpecifier') return `var ${s.local.name} = ${from};`;
          const imported =
            s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value);
          return `var ${s.local.name} = ${from}[${JSON.stringify(imported)}];`;
        })
        .join(' ');
      edits.push({ start: node.start, end: node.end, text });
    } else if (node.type === 'ExportNamedDeclaration' && !node.declaration) {
      const text = node.specifiers
        .map((s) => {
          const local = s.local.type === 'Identifier' ? s.local.name : String(s.local.value);
          const exported =
            s.exported.type === 'Identifier' ? s.exported.name : String(s.exported.value);
          return `__exports[${JSON.stringify(exported)}] = ${local};`;
        })
        .join(' ');
      edits.push({ start: node.start, end: node.end, text });
    } else if (node.type.startsWith('Export')) {
      throw new Error(`unexpected ${node.type} in a bundle: export with a list at the end`);
    }
  }
  let program = code;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    program = program.slice(0, edit.start) + edit.text + program.slice(edit.end);
  return { imports, program };
}

const canonical = (name: string) =>
  name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

export async function runK6Script(
  code: string,
  options: {
    env: Record<string, string>;
    seed?: number;
    iterations?: number;
    truncateBinary?: boolean;
  },
): Promise<ScriptRun> {
  const { program } = parseScript(code);
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./k6-vm-worker.mjs', import.meta.url), {
    workerData: {
      program,
      env: options.env,
      seed: options.seed ?? 1,
      iterations: options.iterations ?? 1,
      truncateBinary: options.truncateBinary ?? false,
      signal,
      replies: port1,
    },
    transferList: [port1],
  });
  try {
    return await new Promise<ScriptRun>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the script's worker exited (${code})`)));
      worker.on('message', (message: Record<string, unknown>) => {
        if (message.done) {
          const run = message as unknown as {
            record: ScriptRun;
            options: ScriptRun['options'];
            error?: string;
          };
          return resolve({
            ...run.record,
            options: run.options,
            ...(run.error ? { error: run.error } : {}),
          });
        }
        const req = message as {
          method: string;
          url: string;
          body: string | null;
          headers: Record<string, string>;
        };
        const started = performance.now();
        fetch(req.url, {
          method: req.method,
          headers: req.headers,
          ...(req.body === null ? {} : { body: req.body }),
        })
          .then(async (res) => {
            const body = await res.arrayBuffer();
            const headers: Record<string, string> = {};
            res.headers.forEach((value, name) => (headers[canonical(name)] = value));
            return { status: res.status, headers, body, ms: performance.now() - started };
          })
          .catch((err: unknown) => ({
            status: 0,
            headers: {},
            body: new ArrayBuffer(0),
            ms: 0,
            error: String(err),
          }))
          .then((answer) => {
            port2.postMessage(answer, [answer.body]);
            Atomics.store(flag, 0, 1);
            Atomics.notify(flag, 0);
          });
      });
    });
  } finally {
    await worker.terminate();
    port2.close();
  }
}
