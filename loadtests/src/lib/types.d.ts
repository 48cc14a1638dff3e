// The run options a script reads (built by @ballast/core's k6RunOptions), and the default
// ones bundled into each script at build time (build.mjs resolves these imports).
declare module 'ballast:run-options/*' {
  import type { K6RunOptions } from '@ballast/core';
  const options: K6RunOptions;
  export default options;
}
