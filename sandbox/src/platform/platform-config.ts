// The platform the sandbox simulates by default: the reference 3D store
// (core/platforms/sandbox.yaml). Other configs load with core's loadPlatformConfig.
import {
  loadPlatformConfig,
  referencePlatformConfigPath,
  type PlatformConfig,
} from '@ballast/core';

/** The reference platform of the 3D store. */
export function loadReferencePlatform(): PlatformConfig {
  return loadPlatformConfig(referencePlatformConfigPath);
}
