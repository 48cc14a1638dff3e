// A change engine over a fresh store and fake AWS, on a clock that only moves when the
// engine sleeps: what every engine test starts from.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createChangeEngine,
  loadPlatformConfig,
  openStore,
  referencePlatformConfigPath,
  type ChangeEngine,
  type ChangeEngineOptions,
  type ChangePorts,
  type PlatformConfig,
  type Store,
} from '../src/index.js';
import { cpuPolicy, FakeAutoScaling, fakePorts } from './fake-auto-scaling.js';

export const NOW = Date.UTC(2025, 10, 20, 15, 0);

/** A reproducible stream in [0, 1). */
export function seeded(seed = 1): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface EngineSetup {
  engine: ChangeEngine;
  aws: FakeAutoScaling;
  store: Store;
  dir: string;
  platform: PlatformConfig;
  clock: { now: number };
  /** another engine on the same store file and AWS, as a second process would have */
  second(): ChangeEngine;
}

export function engineSetup(
  options: {
    ports?: (aws: FakeAutoScaling) => ChangePorts;
    engine?: Partial<ChangeEngineOptions>;
    platform?: PlatformConfig;
  } = {},
): EngineSetup {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-changes-'));
  const store = openStore(dir);
  const platform = options.platform ?? loadPlatformConfig(referencePlatformConfigPath);
  const aws = new FakeAutoScaling()
    .addGroup({
      name: 'store-web',
      min: 2,
      max: 20,
      desired: 10,
      inService: 10,
      instanceTypes: ['m6i.large', 'm5.large'],
      distribution: {
        onDemandBaseCapacity: 2,
        onDemandPercentageAboveBaseCapacity: 30,
        spotAllocationStrategy: 'price-capacity-optimized',
      },
      defaultInstanceWarmup: 300,
    })
    .addGroup({
      name: 'store-workers',
      min: 1,
      max: 12,
      desired: 12,
      inService: 12,
      instanceTypes: ['c6i.xlarge'],
      distribution: {
        onDemandBaseCapacity: 0,
        onDemandPercentageAboveBaseCapacity: 0,
        spotAllocationStrategy: 'price-capacity-optimized',
      },
    });
  aws.policies.set('store-web', [cpuPolicy('store-web-cpu70', 70)]);
  const clock = { now: NOW };
  const make = (s: Store, seed: number) =>
    createChangeEngine({
      context: 'sandbox',
      platform,
      store: s,
      ports: options.ports?.(aws) ?? fakePorts(aws),
      now: () => clock.now,
      random: seeded(seed),
      sleep: (ms) => {
        clock.now += ms;
        return Promise.resolve();
      },
      ...options.engine,
    });
  const engine = make(store, 1);
  return {
    engine,
    aws,
    store,
    dir,
    platform,
    clock,
    second: () => make(openStore(dir), 2),
  };
}
