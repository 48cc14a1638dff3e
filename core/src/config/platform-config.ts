// Loading the platform config (which AWS resources form each tier, and the tier SLOs)
// from a YAML or JSON file, with errors that point at the line to fix.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PlatformConfigSchema, type PlatformConfig } from '../model/platform.js';
import { ConfigError } from './config-error.js';
import { parseDocumentWithSchema } from './parse-document.js';

/** Absolute path of the reference platform config that the sandbox simulates. */
export const referencePlatformConfigPath = fileURLToPath(
  new URL('../../platforms/sandbox.yaml', import.meta.url),
);
const exampleHint = `See ${referencePlatformConfigPath} for a complete, valid example.`;

export function loadPlatformConfig(file: string): PlatformConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(err)})`;
    throw new ConfigError(file, [{ path: '', message: problem }], {
      heading: `No readable platform config at ${file}.`,
      hint:
        code === 'ENOENT'
          ? `Create one by copying the reference platform and editing its resource names:\n  cp ${referencePlatformConfigPath} ${file}`
          : undefined,
    });
  }
  return parsePlatformConfig(text, file);
}

/** `file` is only used in messages. Accepts YAML or JSON. */
export function parsePlatformConfig(text: string, file: string): PlatformConfig {
  const result = parseDocumentWithSchema(text, PlatformConfigSchema);
  if (result.ok) return result.value;
  throw new ConfigError(file, result.issues, {
    heading: `Invalid platform config ${file} (${result.issues.length} ${result.issues.length === 1 ? 'problem' : 'problems'}):`,
    hint: exampleHint,
  });
}

/** Thrown when a --tier names no tier of the platform config. */
export class UnknownTierError extends Error {
  constructor(
    readonly tier: string,
    readonly known: string[],
    platform: string,
  ) {
    super(`Unknown tier "${tier}" in platform ${platform}. Known tiers: ${known.join(', ')}.`);
    this.name = 'UnknownTierError';
  }
}

/** The config narrowed to one tier (all tiers when `tier` is undefined). */
export function selectTier(config: PlatformConfig, tier: string | undefined): PlatformConfig {
  if (tier === undefined) return config;
  const found = config.tiers.find((t) => t.id === tier);
  if (!found)
    throw new UnknownTierError(
      tier,
      config.tiers.map((t) => t.id),
      config.name,
    );
  return { ...config, tiers: [found] };
}
