// Bundles every k6 scenario (src/scenarios/*.ts) into dist/<name>.js: plain ES2015
// JavaScript with the k6 modules left as imports, so any k6 version can run it.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';

const scenarios = readdirSync('src/scenarios').filter((f) => f.endsWith('.ts'));
await build({
  entryPoints: scenarios.map((f) => `src/scenarios/${f}`),
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  target: 'es2015',
  platform: 'neutral',
  external: ['k6', 'k6/*'],
  logLevel: 'warning',
});
