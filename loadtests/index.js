// Where the load-test files are, for Node programs (the runner, the CLI): the scenario
// names, each bundled k6 script and each load profile. Plain Node, no k6 imports.
import { fileURLToPath } from 'node:url';

/** The scenarios, one bundled script (dist/<name>.js) and one profile each. */
export const scenarioNames = Object.freeze(['smoke', 'black-friday', 'spike', 'soak', 'stress']);

function known(scenario) {
  if (!scenarioNames.includes(scenario))
    throw new Error(
      `No load-test scenario "${scenario}": choose one of ${scenarioNames.join(', ')}.`,
    );
  return scenario;
}

/** Absolute path of a scenario's bundled k6 script (built by `npm run build`). */
export function scriptPath(scenario) {
  return fileURLToPath(new URL(`./dist/${known(scenario)}.js`, import.meta.url));
}

/** Absolute path of a scenario's load profile (JSON, see LoadProfileSchema in @ballast/core). */
export function profilePath(scenario) {
  return fileURLToPath(new URL(`./profiles/${known(scenario)}.json`, import.meta.url));
}
