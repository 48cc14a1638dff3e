#!/usr/bin/env node
// A stand-in kubectl for the distributed-run tests: replays a recording (FAKE_KUBECTL_RECORDING,
// a JSON file) of what a cluster with the k6-operator answers. `kubectl get testrun NAME -o json`
// returns the recording's testRuns one after another (the last one from then on), `get pods -l
// k6_cr=NAME,runner=true -o json` its pods, `logs POD` that pod's log, `apply -f ...` a line.
// Every call is appended to FAKE_KUBECTL_CALLS (one JSON array of arguments a line), whose
// count of `get testrun` calls also picks the answer.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const recording = JSON.parse(readFileSync(process.env.FAKE_KUBECTL_RECORDING, 'utf8'));
const callsFile = process.env.FAKE_KUBECTL_CALLS;
const calls =
  callsFile && existsSync(callsFile)
    ? readFileSync(callsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
if (callsFile) appendFileSync(callsFile, `${JSON.stringify(args)}\n`);

const fail = (message) => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

if (args[0] === 'apply') {
  if (recording.applyError) fail(recording.applyError);
  process.stdout.write('configmap/x created\ntestrun.k6.io/x created\n');
} else if (args[0] === 'get' && args[1] === 'testrun') {
  const seen = calls.filter((c) => c[0] === 'get' && c[1] === 'testrun').length;
  const answers = recording.testRuns;
  process.stdout.write(JSON.stringify(answers[Math.min(seen, answers.length - 1)]));
} else if (args[0] === 'get' && args[1] === 'pods') {
  const items = recording.pods.map((name) => ({
    metadata: { name, labels: { k6_cr: 'x', runner: 'true' } },
  }));
  process.stdout.write(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
} else if (args[0] === 'logs') {
  const log = recording.logs[args[1]];
  if (log === undefined) fail(`Error from server (NotFound): pods "${args[1]}" not found`);
  process.stdout.write(log);
} else fail(`fake kubectl: no recorded answer for: ${args.join(' ')}`);
