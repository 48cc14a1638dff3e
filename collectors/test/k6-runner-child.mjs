/* global setInterval */
// A runner in a process of its own, on the built collectors (as the CLI runs it): starts k6
// with the options given as JSON in argv[2], prints k6's pid, and waits to be killed.
import { startK6Run } from '../dist/loadtest/runner.js';

const run = await startK6Run(JSON.parse(process.argv[2]));
process.stdout.write(`${run.pid}\n`);
setInterval(() => {}, 1000);
