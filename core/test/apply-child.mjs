// A process that applies a change and is killed in the middle of it (see
// engine.kill.test.ts): it plans a CPU target of 50 on store-web, applies it, prints
// WRITING when the first write to AWS starts, and then waits forever inside that write.
// Runs on the built core (dist), as the CLI does.
import {
  createChangeEngine,
  loadPlatformConfig,
  openStore,
  referencePlatformConfigPath,
} from '../dist/index.js';

const [dir] = process.argv.slice(2);
const group = {
  name: 'store-web',
  min: 2,
  max: 20,
  desired: 10,
  inService: 10,
  instanceTypes: ['m6i.large'],
};
const policy = {
  name: 'store-web-cpu70',
  type: 'TargetTrackingScaling',
  enabled: true,
  targetTracking: {
    metric: { type: 'predefined', metric: 'ASGAverageCPUUtilization' },
    targetValue: 70,
    disableScaleIn: false,
  },
};
const autoscaling = {
  describeGroup: async () => ({ ...group }),
  describePolicies: async () => [JSON.parse(JSON.stringify(policy))],
  describeScheduledActions: async () => [],
  describeAccountLimits: async () => ({}),
  execute: () => {
    process.stdout.write('WRITING\n');
    return new Promise(() => undefined);
  },
};
const store = openStore(dir);
const engine = createChangeEngine({
  context: 'sandbox',
  platform: loadPlatformConfig(referencePlatformConfigPath),
  store,
  now: Date.now,
  ports: {
    autoscaling,
    identity: {
      callerIdentity: async () => ({
        arn: 'arn:aws:iam::123456789012:user/jane',
        account: '123456789012',
        userId: 'AIDA',
      }),
    },
    loadTests: { running: async () => [] },
  },
});
const plan = await engine.plan({
  kind: 'target-tracking-policy',
  target: { group: 'store-web', policyName: 'store-web-cpu70' },
  desired: { policy: { ...policy, targetTracking: { ...policy.targetTracking, targetValue: 50 } } },
  withoutEffect: true,
});
await engine.apply(plan, { actor: { user: 'jane', via: 'cli' }, reason: 'killed mid-apply' });
