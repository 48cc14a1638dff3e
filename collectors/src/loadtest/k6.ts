// Finding k6 and what it can do: K6_BIN, else the first k6 on PATH; its version from
// `k6 version` (v0.4x prints "k6 v0.47.0 (go1.21.4, linux/amd64)", v1 and later
// "k6 v1.3.0 (commit/5870e99ae8, go1.24.6, linux/amd64)").
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { LoadTestError } from './errors.js';

export const K6_INSTALL_URL = 'https://grafana.com/docs/k6/latest/set-up/install-k6/';

/** How to install k6, one line per way (grafana.com/docs/k6/latest/set-up/install-k6/). */
export const K6_INSTALL_ACTIONS = [
  `Install k6 (${K6_INSTALL_URL}):`,
  'Debian/Ubuntu: sudo gpg -k && sudo gpg --no-default-keyring --keyring /usr/share/keyrings/k6-archive-keyring.gpg --keyserver hkp://keyserver.ubuntu.com:80 --recv-keys C5AD17C747E3415A3642D57D77C6C491D6AC1D69 && echo "deb [signed-by=/usr/share/keyrings/k6-archive-keyring.gpg] https://dl.k6.io/deb stable main" | sudo tee /etc/apt/sources.list.d/k6.list && sudo apt-get update && sudo apt-get install k6',
  'macOS: brew install k6',
  'Docker: docker pull grafana/k6 (then point K6_BIN at a wrapper script that runs it with --network host)',
  'Binary: download k6 from https://github.com/grafana/k6/releases, unpack it, and put it on PATH or set K6_BIN=/path/to/k6',
];

export interface K6Version {
  major: number;
  minor: number;
  patch: number;
  /** e.g. "v0.47.0", "v1.3.0-rc1" */
  text: string;
}

export interface K6Binary {
  path: string;
  /** where it was found */
  from: 'K6_BIN' | 'PATH';
  version: K6Version;
  /** the first line `k6 version` printed */
  versionLine: string;
}

/** The version in `k6 version` output; undefined when it is not k6's. */
export function parseK6Version(output: string): K6Version | undefined {
  const match = /\bk6 v(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.+-]+)?/.exec(output);
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    text: `v${match[1]}.${match[2]}.${match[3]}${match[4] ?? ''}`,
  };
}

const isExecutable = (file: string): boolean => {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** K6_BIN (when set), else the first executable `k6` on PATH; undefined when neither. */
export function locateK6(
  env: NodeJS.ProcessEnv = process.env,
): { path: string; from: K6Binary['from'] } | undefined {
  const configured = env.K6_BIN?.trim();
  if (configured)
    return { path: isAbsolute(configured) ? configured : resolve(configured), from: 'K6_BIN' };
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'k6');
    if (isExecutable(candidate)) return { path: candidate, from: 'PATH' };
  }
  return undefined;
}

const run = promisify(execFile);

/**
 * k6 and its version, or a LoadTestError saying how to install it (exit 1): K6_BIN pointing
 * at nothing runnable, no k6 on PATH, or a program that does not answer as k6.
 */
export async function findK6(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 15_000,
): Promise<K6Binary> {
  const found = locateK6(env);
  if (!found)
    throw new LoadTestError(
      'k6 is not installed: no k6 on PATH, and K6_BIN is not set.',
      'K6NotFound',
      [...K6_INSTALL_ACTIONS, 'Check it with: k6 version'],
    );
  let output: string;
  try {
    const { stdout, stderr } = await run(found.path, ['version'], {
      timeout: timeoutMs,
      env,
      windowsHide: true,
    });
    output = `${stdout}\n${stderr}`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EACCES'
          ? 'it is not executable'
          : `\`k6 version\` failed (${(err as Error).message.split('\n')[0]})`;
    throw new LoadTestError(
      `Cannot run k6 at ${found.path} (from ${found.from}): ${why}.`,
      'K6NotRunnable',
      [
        found.from === 'K6_BIN'
          ? 'Point K6_BIN at the k6 executable, or unset it to use the k6 on PATH.'
          : `Reinstall k6, or set K6_BIN to a working one.`,
        ...K6_INSTALL_ACTIONS,
      ],
      { cause: err },
    );
  }
  const version = parseK6Version(output);
  if (!version)
    throw new LoadTestError(
      `${found.path} (from ${found.from}) does not answer \`version\` as k6 does: ${JSON.stringify(output.trim().split('\n')[0] ?? '')}.`,
      'K6NotRecognized',
      ['Point K6_BIN at the k6 executable.', ...K6_INSTALL_ACTIONS],
    );
  const versionLine = output.split('\n').find((l) => l.includes(version.text)) ?? version.text;
  return { ...found, version, versionLine: versionLine.trim() };
}
