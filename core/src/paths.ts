// Per-user directories: config (contexts.json, platform configs) and state (the SQLite
// store). BALLAST_HOME puts both under one folder, which is what tests and demos use.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface BallastPaths {
  /** contexts.json and user platform configs */
  configDir: string;
  /** ballast.db: history, call ledger */
  stateDir: string;
}

export function ballastPaths(env: NodeJS.ProcessEnv = process.env): BallastPaths {
  const ballastHome = nonEmpty(env.BALLAST_HOME);
  if (ballastHome)
    return { configDir: join(ballastHome, 'config'), stateDir: join(ballastHome, 'state') };
  const home = nonEmpty(env.HOME) ?? homedir();
  return {
    configDir: join(nonEmpty(env.XDG_CONFIG_HOME) ?? join(home, '.config'), 'ballast'),
    stateDir: join(nonEmpty(env.XDG_STATE_HOME) ?? join(home, '.local', 'state'), 'ballast'),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
