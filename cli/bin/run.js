#!/usr/bin/env node
import { execute } from '@oclif/core';

// The AWS SDK warns on every run under Node 20 about releases after January 2027 (Ballast
// pins its SDK version and supports Node >= 20.19). Keep stderr for what the user can act on;
// an explicit setting of the variable still wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

await execute({ dir: import.meta.url });
