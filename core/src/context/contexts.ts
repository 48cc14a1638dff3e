// Named targets, like kubectl contexts: which account/region/endpoint to read and which
// platform config describes it. Stored in <configDir>/contexts.json; the `sandbox`
// context is built in (never stored) so a fresh install works against the local sandbox.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';
import { parseDocumentWithSchema } from '../config/parse-document.js';
import { referencePlatformConfigPath } from '../config/platform-config.js';
import { DEFAULT_SANDBOX_PORT } from '../defaults.js';
import type { BallastPaths } from '../paths.js';

export const ContextSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a name of letters, digits, ".", "_" or "-"'),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as us-east-1'),
    /** AWS shared-config profile (~/.aws/config) */
    profile: z.string().min(1).optional(),
    /** custom endpoint, e.g. the sandbox; unset = the real AWS endpoints */
    endpointUrl: z
      .string()
      .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'an http(s) URL such as http://127.0.0.1:4566')
      .optional(),
    /** path of the platform config; relative paths are resolved against the config dir */
    platformConfig: z.string().min(1),
    /** sign requests with the dummy key pair test/test (the sandbox accepts any) */
    dummyCredentials: z.boolean().optional(),
  })
  .strict();
export type Context = z.infer<typeof ContextSchema>;

export const ContextsFileSchema = z
  .object({
    current: z.string().optional(),
    contexts: z.array(ContextSchema).default([]),
  })
  .strict();
export type ContextsFile = z.infer<typeof ContextsFileSchema>;

export type ContextSource = 'flag' | 'env' | 'current' | 'default';
export type ResolvedContext = Context & { source: ContextSource };
export type ListedContext = Context & { builtIn: boolean };

export const SANDBOX_CONTEXT = 'sandbox';
export const DEFAULT_SANDBOX_URL = `http://127.0.0.1:${DEFAULT_SANDBOX_PORT}`;

/** Thrown for unknown, reserved or unusable context names; the message says what to run. */
export class ContextError extends Error {
  constructor(
    message: string,
    readonly known: string[] = [],
  ) {
    super(message);
    this.name = 'ContextError';
  }
}

export function sandboxContext(env: NodeJS.ProcessEnv = process.env): Context {
  return {
    name: SANDBOX_CONTEXT,
    region: 'us-east-1',
    endpointUrl: env.BALLAST_SANDBOX_URL || DEFAULT_SANDBOX_URL,
    platformConfig: referencePlatformConfigPath,
    dummyCredentials: true,
  };
}

export function contextsFile(paths: Pick<BallastPaths, 'configDir'>): string {
  return join(paths.configDir, 'contexts.json');
}

export function listContexts(
  paths: Pick<BallastPaths, 'configDir'>,
  env: NodeJS.ProcessEnv = process.env,
): { current: string; contexts: ListedContext[] } {
  const stored = readContextsFile(paths);
  const contexts = allContexts(stored, paths, env);
  const current =
    stored.current && contexts.some((c) => c.name === stored.current)
      ? stored.current
      : SANDBOX_CONTEXT;
  return { current, contexts };
}

export interface ResolveContextOptions {
  /** --context flag */
  name?: string;
  /** BALLAST_CONTEXT (and BALLAST_SANDBOX_URL for the built-in sandbox); defaults to process.env */
  env?: NodeJS.ProcessEnv;
  paths: Pick<BallastPaths, 'configDir'>;
  /** --profile / --region / --endpoint-url on top of the context */
  overrides?: { profile?: string; region?: string; endpointUrl?: string };
}

/** Precedence: --context, then BALLAST_CONTEXT, then the stored current context, then `sandbox`. */
export function resolveContext(options: ResolveContextOptions): ResolvedContext {
  const env = options.env ?? process.env;
  const stored = readContextsFile(options.paths);
  const contexts = allContexts(stored, options.paths, env);
  const [name, source]: [string, ContextSource] = options.name
    ? [options.name, 'flag']
    : env.BALLAST_CONTEXT
      ? [env.BALLAST_CONTEXT, 'env']
      : stored.current
        ? [stored.current, 'current']
        : [SANDBOX_CONTEXT, 'default'];
  const found = contexts.find((c) => c.name === name);
  if (!found) throw unknownContext(name, contexts, source);

  const { builtIn: _builtIn, ...context } = found;
  const overrides = options.overrides ?? {};
  const resolved: ResolvedContext = { ...context, source };
  if (overrides.region) resolved.region = overrides.region;
  if (overrides.endpointUrl) resolved.endpointUrl = overrides.endpointUrl;
  if (overrides.profile) {
    // An explicit profile means real credentials, even on a context that used dummy ones.
    resolved.profile = overrides.profile;
    resolved.dummyCredentials = false;
  }
  return resolved;
}

export function addContext(
  paths: Pick<BallastPaths, 'configDir'>,
  context: Context,
  options: { use?: boolean } = {},
): Context {
  const parsed = ContextSchema.safeParse(context);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'context'}: ${i.message}`)
      .join('; ');
    throw new ContextError(`Invalid context "${context.name}": ${problems}.`);
  }
  if (parsed.data.name === SANDBOX_CONTEXT) {
    throw new ContextError(
      `"${SANDBOX_CONTEXT}" is the built-in context and cannot be replaced; pick another name.`,
    );
  }
  const file = readContextsFile(paths);
  const contexts = [...file.contexts.filter((c) => c.name !== parsed.data.name), parsed.data];
  writeContextsFile(paths, {
    ...file,
    contexts,
    ...(options.use ? { current: parsed.data.name } : {}),
  });
  return parsed.data;
}

export function useContext(paths: Pick<BallastPaths, 'configDir'>, name: string): void {
  const file = readContextsFile(paths);
  if (name !== SANDBOX_CONTEXT && !file.contexts.some((c) => c.name === name)) {
    throw unknownContext(name, allContexts(file, paths, {}), 'flag');
  }
  writeContextsFile(paths, { ...file, current: name });
}

export function removeContext(paths: Pick<BallastPaths, 'configDir'>, name: string): void {
  if (name === SANDBOX_CONTEXT)
    throw new ContextError(`"${SANDBOX_CONTEXT}" is built in and cannot be removed.`);
  const file = readContextsFile(paths);
  if (!file.contexts.some((c) => c.name === name))
    throw unknownContext(name, allContexts(file, paths, {}), 'flag');
  const contexts = file.contexts.filter((c) => c.name !== name);
  const { current, ...rest } = file;
  writeContextsFile(paths, {
    ...rest,
    contexts,
    ...(current && current !== name ? { current } : {}),
  });
}

function unknownContext(
  name: string,
  contexts: { name: string }[],
  source: ContextSource,
): ContextError {
  const known = contexts.map((c) => c.name);
  const from =
    source === 'env'
      ? ' (from BALLAST_CONTEXT)'
      : source === 'current'
        ? ' (the current context)'
        : '';
  return new ContextError(
    `Unknown context "${name}"${from}. Known contexts: ${known.join(', ')}. ` +
      `Add it with \`ballast context add ${name}\` or pick one of the known ones.`,
    known,
  );
}

/** The built-in sandbox context, then the stored ones. */
function allContexts(
  stored: ContextsFile,
  paths: Pick<BallastPaths, 'configDir'>,
  env: NodeJS.ProcessEnv,
): ListedContext[] {
  return [
    { ...sandboxContext(env), builtIn: true },
    ...stored.contexts.map((c) => ({ ...withResolvedConfig(c, paths), builtIn: false })),
  ];
}

function withResolvedConfig(context: Context, paths: Pick<BallastPaths, 'configDir'>): Context {
  const platformConfig = isAbsolute(context.platformConfig)
    ? context.platformConfig
    : resolve(paths.configDir, context.platformConfig);
  return { ...context, platformConfig };
}

function readContextsFile(paths: Pick<BallastPaths, 'configDir'>): ContextsFile {
  const file = contextsFile(paths);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { contexts: [] };
    throw err;
  }
  const result = parseDocumentWithSchema(text, ContextsFileSchema);
  if (result.ok) return result.value;
  throw new ConfigError(file, result.issues, {
    heading: `Invalid contexts file ${file}:`,
    hint: 'Fix these lines, or delete the file and re-add contexts with `ballast context add`.',
  });
}

function writeContextsFile(paths: Pick<BallastPaths, 'configDir'>, data: ContextsFile): void {
  const file = contextsFile(paths);
  mkdirSync(dirname(file), { recursive: true });
  // Write then rename so a crash never leaves half a file behind.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(ContextsFileSchema.parse(data), null, 2)}\n`);
  renameSync(temp, file);
}
