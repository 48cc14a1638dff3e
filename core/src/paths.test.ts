import { describe, expect, it } from 'vitest';
import { ballastPaths } from './paths.js';

describe('ballastPaths', () => {
  it.each([
    {
      given: 'BALLAST_HOME set (wins over XDG)',
      env: {
        BALLAST_HOME: '/tmp/b',
        XDG_CONFIG_HOME: '/x/c',
        XDG_STATE_HOME: '/x/s',
        HOME: '/home/u',
      },
      configDir: '/tmp/b/config',
      stateDir: '/tmp/b/state',
    },
    {
      given: 'XDG dirs set',
      env: { XDG_CONFIG_HOME: '/x/c', XDG_STATE_HOME: '/x/s', HOME: '/home/u' },
      configDir: '/x/c/ballast',
      stateDir: '/x/s/ballast',
    },
    {
      given: 'only HOME set',
      env: { HOME: '/home/u' },
      configDir: '/home/u/.config/ballast',
      stateDir: '/home/u/.local/state/ballast',
    },
    {
      given: 'empty variables (treated as unset)',
      env: { BALLAST_HOME: '', XDG_CONFIG_HOME: '', HOME: '/home/u' },
      configDir: '/home/u/.config/ballast',
      stateDir: '/home/u/.local/state/ballast',
    },
  ])('given $given, then config=$configDir state=$stateDir', ({ env, configDir, stateDir }) => {
    expect(ballastPaths(env)).toEqual({ configDir, stateDir });
  });
});
