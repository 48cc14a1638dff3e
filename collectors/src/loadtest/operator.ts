// Distributed runs on Kubernetes with the k6-operator (github.com/grafana/k6-operator): a
// ConfigMap with the bundled script and its run options, and a TestRun (k6.io/v1alpha1) that
// runs it on `parallelism` pods, each taking its share of the load (k6's execution segments).
// The operator mounts the ConfigMap at /test/. Applied with kubectl only when asked.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { LoadTestError } from './errors.js';

/** Where the operator mounts the script's ConfigMap in each runner pod. */
export const OPERATOR_MOUNT = '/test';

export interface TestRunSpec {
  /** a DNS-1123 name for the TestRun and its ConfigMap */
  name: string;
  namespace?: string;
  parallelism: number;
  scenario: string;
  /** the bundled script's text */
  script: string;
  /** the K6RunOptions document */
  runOptions: unknown;
  target: string;
  /** labels to find it again */
  labels?: Record<string, string>;
}

export interface TestRunManifests {
  configMap: Record<string, unknown>;
  testRun: Record<string, unknown>;
}

/** "bf-lt-20261127-060000-a1b2" -> a valid Kubernetes name (lower case, 63 characters at most). */
export function kubernetesName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'ballast-loadtest';
}

export function testRunManifests(spec: TestRunSpec): TestRunManifests {
  const name = kubernetesName(spec.name);
  const scriptFile = `${spec.scenario}.js`;
  const optionsFile = `${OPERATOR_MOUNT}/options.json`;
  const metadata = {
    name,
    ...(spec.namespace ? { namespace: spec.namespace } : {}),
    labels: {
      'app.kubernetes.io/managed-by': 'ballast',
      'ballast/scenario': spec.scenario,
      ...spec.labels,
    },
  };
  return {
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata,
      data: {
        [scriptFile]: spec.script,
        'options.json': `${JSON.stringify(spec.runOptions, null, 2)}\n`,
      },
    },
    testRun: {
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata,
      spec: {
        parallelism: spec.parallelism,
        script: { configMap: { name, file: scriptFile } },
        // `arguments` (one string) is what every operator version reads; newer ones also take `args`.
        arguments: `--tag testid=${name} -e BASE_URL=${spec.target} -e BALLAST_RUN_OPTIONS=${optionsFile}`,
        runner: {
          env: [
            { name: 'BASE_URL', value: spec.target },
            { name: 'BALLAST_RUN_OPTIONS', value: optionsFile },
          ],
          metadata: { labels: metadata.labels },
        },
      },
    },
  };
}

/** Writes configmap.yaml and testrun.yaml (and both in one file, manifests.yaml) to `dir`. */
export function writeManifests(dir: string, manifests: TestRunManifests): string[] {
  mkdirSync(dir, { recursive: true });
  const files = {
    'configmap.yaml': stringify(manifests.configMap, {
      lineWidth: 0,
      aliasDuplicateObjects: false,
    }),
    'testrun.yaml': stringify(manifests.testRun, { lineWidth: 0, aliasDuplicateObjects: false }),
  };
  const written: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(join(dir, file), text);
    written.push(join(dir, file));
  }
  return written;
}

const exec = promisify(execFile);

/** The TestRun's stage (.status.stage): initialization, initialized, created, started, stopped, finished, error. */
export interface TestRunStatus {
  stage: string | null;
  conditions: { type: string; status: string; reason?: string; message?: string }[];
}

/** kubectl, on PATH or at KUBECTL; a LoadTestError saying how to get it when missing. */
export async function kubectl(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 60_000,
): Promise<string> {
  const bin = env.KUBECTL?.trim() || 'kubectl';
  try {
    const { stdout } = await exec(bin, args, {
      env,
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new LoadTestError(`kubectl is not installed (no ${bin} on PATH).`, 'KubectlNotFound', [
        'Install kubectl (https://kubernetes.io/docs/tasks/tools/) and point it at the cluster, or apply the written manifests yourself: kubectl apply -f DIR',
      ]);
    throw new LoadTestError(
      `kubectl ${args.join(' ')} failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' ')}`,
      'KubectlFailed',
      [
        'Check the cluster and the k6-operator (kubectl get crd testruns.k6.io), then run it again.',
      ],
      { cause: err },
    );
  }
}

export async function applyManifests(dir: string, env?: NodeJS.ProcessEnv): Promise<string> {
  return kubectl(
    ['apply', '-f', join(dir, 'configmap.yaml'), '-f', join(dir, 'testrun.yaml')],
    env,
  );
}

export async function testRunStatus(
  name: string,
  namespace: string | undefined,
  env?: NodeJS.ProcessEnv,
): Promise<TestRunStatus> {
  const out = await kubectl(
    ['get', 'testrun', name, ...(namespace ? ['-n', namespace] : []), '-o', 'json'],
    env,
  );
  const body = JSON.parse(out) as {
    status?: { stage?: string; conditions?: TestRunStatus['conditions'] };
  };
  return { stage: body.status?.stage ?? null, conditions: body.status?.conditions ?? [] };
}
