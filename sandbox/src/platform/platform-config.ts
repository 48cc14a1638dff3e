// Platform configs the sandbox simulates: the reference 3D store (core/platforms/sandbox.yaml)
// or any YAML/JSON file in the same shape.
import { readFileSync } from 'node:fs';
import {
  PlatformConfigSchema,
  referencePlatformConfigPath,
  type PlatformConfig,
} from '@ballast/core';
import { parse } from 'yaml';

/** Read and validate a platform config file (YAML or JSON). */
export function loadPlatformConfig(path: string): PlatformConfig {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the platform config ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = PlatformConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('\n');
    throw new Error(`The platform config ${path} is not valid; fix these fields:\n${problems}`);
  }
  return parsed.data;
}

/** The reference platform of the 3D store. */
export function loadReferencePlatform(): PlatformConfig {
  return loadPlatformConfig(referencePlatformConfigPath);
}
