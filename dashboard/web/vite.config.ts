// Builds web/ into dist/web, which the dashboard server serves. No React plugin: esbuild
// compiles TSX with the automatic runtime, and the pages reload fully in dev.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The Health chunk carries recharts; the entry stays small (see the size report).
    chunkSizeWarningLimit: 700,
  },
  server: {
    host: '127.0.0.1',
    // `npm run dev` serves the pages with hot reload and forwards the API to a running
    // dashboard (`ballast dashboard`, default port 7300).
    proxy: { '/api': process.env.BALLAST_DASHBOARD_URL ?? 'http://127.0.0.1:7300' },
  },
});
