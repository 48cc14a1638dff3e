// Bundles every k6 scenario (src/scenarios/*.ts) into dist/<name>.js: plain ES2015
// JavaScript with the k6 modules left as imports, so any k6 version runs it (k6 v0.4x
// without TypeScript support as well as current releases). Each script carries its default
// run options: its profile (profiles/<name>.json) with thresholds from the sandbox
// platform's SLOs, computed here by @ballast/core.
import {
  k6RunOptions,
  loadPlatformConfig,
  parseLoadProfile,
  referencePlatformConfigPath,
  thresholdsFromSlos,
} from '@ballast/core';
import { build } from 'esbuild';
import { readFileSync, readdirSync } from 'node:fs';

const thresholds = thresholdsFromSlos(loadPlatformConfig(referencePlatformConfigPath));

/** `import options from 'ballast:run-options/<scenario>'` -> that profile's run options. */
const runOptions = {
  name: 'ballast-run-options',
  setup(b) {
    b.onResolve({ filter: /^ballast:run-options\// }, (args) => ({
      path: args.path.slice('ballast:run-options/'.length),
      namespace: 'run-options',
    }));
    b.onLoad({ filter: /.*/, namespace: 'run-options' }, (args) => {
      const file = `profiles/${args.path}.json`;
      const profile = parseLoadProfile(JSON.parse(readFileSync(file, 'utf8')), file);
      return {
        contents: JSON.stringify(k6RunOptions(profile, thresholds)),
        loader: 'json',
        watchFiles: [file],
      };
    });
  },
};

const scenarios = readdirSync('src/scenarios').filter((f) => f.endsWith('.ts'));
await build({
  entryPoints: scenarios.map((f) => `src/scenarios/${f}`),
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  // goja (k6's JavaScript engine) is ES2015 plus some: optional chaining, ??, object
  // spread and class fields are lowered so that old k6 versions parse the result.
  target: 'es2015',
  platform: 'neutral',
  external: ['k6', 'k6/*'],
  plugins: [runOptions],
  logLevel: 'warning',
});
