import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import {
  addContext,
  ContextError,
  listContexts,
  removeContext,
  resolveContext,
  useContext,
  type Context,
} from './contexts.js';

let paths: { configDir: string };

const prod: Context = {
  name: 'prod',
  region: 'eu-west-1',
  profile: 'store-prod',
  platformConfig: 'prod.yaml',
};

beforeEach(() => {
  paths = { configDir: join(mkdtempSync(join(tmpdir(), 'ballast-ctx-')), 'config') };
});

describe('listContexts', () => {
  it('given no contexts file, then only the built-in sandbox is listed and current', () => {
    const { current, contexts } = listContexts(paths, {});
    expect(current).toBe('sandbox');
    expect(contexts).toEqual([
      expect.objectContaining({
        name: 'sandbox',
        builtIn: true,
        region: 'us-east-1',
        endpointUrl: 'http://127.0.0.1:4566',
        dummyCredentials: true,
        platformConfig: expect.stringMatching(/core\/platforms\/sandbox\.yaml$/),
      }),
    ]);
  });

  it('given BALLAST_SANDBOX_URL, then the sandbox context points there', () => {
    const { contexts } = listContexts(paths, { BALLAST_SANDBOX_URL: 'http://127.0.0.1:5999' });
    expect(contexts[0]?.endpointUrl).toBe('http://127.0.0.1:5999');
  });

  it('given a stored context with a relative platform config, then the path is resolved against the config dir', () => {
    addContext(paths, prod);
    expect(listContexts(paths, {}).contexts[1]).toEqual({
      ...prod,
      platformConfig: join(paths.configDir, 'prod.yaml'),
      builtIn: false,
    });
  });
});

describe('resolveContext', () => {
  beforeEach(() => {
    addContext(paths, prod);
    addContext(
      paths,
      { name: 'staging', region: 'us-west-2', platformConfig: '/etc/ballast/staging.yaml' },
      { use: true },
    );
  });

  it.each([
    {
      given: '--context prod',
      name: 'prod',
      env: { BALLAST_CONTEXT: 'sandbox' },
      expected: 'prod',
      source: 'flag',
    },
    {
      given: 'BALLAST_CONTEXT=sandbox',
      name: undefined,
      env: { BALLAST_CONTEXT: 'sandbox' },
      expected: 'sandbox',
      source: 'env',
    },
    {
      given: 'nothing (current is staging)',
      name: undefined,
      env: {},
      expected: 'staging',
      source: 'current',
    },
  ])('given $given, then $expected from $source', ({ name, env, expected, source }) => {
    const ctx = resolveContext({ name, env, paths });
    expect(ctx.name).toBe(expected);
    expect(ctx.source).toBe(source);
    expect(ctx).not.toHaveProperty('builtIn');
  });

  it('given no current context stored, then the default is the sandbox', () => {
    const fresh = { configDir: join(paths.configDir, 'elsewhere') };
    expect(resolveContext({ env: {}, paths: fresh })).toMatchObject({
      name: 'sandbox',
      source: 'default',
    });
  });

  it('given overrides, then they win over the stored fields and a profile turns off dummy credentials', () => {
    const ctx = resolveContext({
      name: 'sandbox',
      env: {},
      paths,
      overrides: { profile: 'dev', region: 'eu-central-1', endpointUrl: 'http://127.0.0.1:9' },
    });
    expect(ctx).toMatchObject({
      profile: 'dev',
      region: 'eu-central-1',
      endpointUrl: 'http://127.0.0.1:9',
      dummyCredentials: false,
    });
  });

  it('given an unknown name, then the error lists the known contexts and how to add one', () => {
    expect(() => resolveContext({ name: 'qa', env: {}, paths })).toThrow(ContextError);
    expect(() => resolveContext({ name: 'qa', env: {}, paths })).toThrow(
      'Unknown context "qa". Known contexts: sandbox, prod, staging. Add it with `ballast context add qa`',
    );
  });

  it('given BALLAST_CONTEXT names an unknown context, then the error says where the name came from', () => {
    expect(() => resolveContext({ env: { BALLAST_CONTEXT: 'qa' }, paths })).toThrow(
      '"qa" (from BALLAST_CONTEXT)',
    );
  });
});

describe('addContext / useContext / removeContext', () => {
  it('given a context added with use, then it is current and stored as given', () => {
    addContext(paths, prod, { use: true });
    expect(listContexts(paths, {}).current).toBe('prod');
    expect(JSON.parse(readFileSync(join(paths.configDir, 'contexts.json'), 'utf8'))).toEqual({
      current: 'prod',
      contexts: [prod],
    });
  });

  it('given the same name twice, then the second replaces the first', () => {
    addContext(paths, prod);
    addContext(paths, { ...prod, region: 'ap-southeast-2' });
    expect(listContexts(paths, {}).contexts.map((c) => [c.name, c.region])).toEqual([
      ['sandbox', 'us-east-1'],
      ['prod', 'ap-southeast-2'],
    ]);
  });

  it.each([
    {
      when: 'adding "sandbox"',
      act: () => addContext(paths, { ...prod, name: 'sandbox' }),
      message: /built-in context and cannot be replaced/,
    },
    {
      when: 'removing "sandbox"',
      act: () => removeContext(paths, 'sandbox'),
      message: /built in and cannot be removed/,
    },
    {
      when: 'using an unknown name',
      act: () => useContext(paths, 'nope'),
      message: /Unknown context "nope"/,
    },
    {
      when: 'adding a bad region',
      act: () => addContext(paths, { ...prod, region: 'mars' }),
      message: /region: an AWS region/,
    },
  ])('when $when, then a ContextError explains', ({ act, message }) => {
    expect(act).toThrow(ContextError);
    expect(act).toThrow(message);
  });

  it('given the current context is removed, then current falls back to the sandbox', () => {
    addContext(paths, prod, { use: true });
    removeContext(paths, 'prod');
    expect(listContexts(paths, {})).toMatchObject({
      current: 'sandbox',
      contexts: [{ name: 'sandbox' }],
    });
  });

  it('given useContext sandbox, then the sandbox becomes current', () => {
    addContext(paths, prod, { use: true });
    useContext(paths, 'sandbox');
    expect(resolveContext({ env: {}, paths })).toMatchObject({
      name: 'sandbox',
      source: 'current',
    });
  });
});

describe('a hand-edited contexts.json', () => {
  it('given an invalid entry, then a ConfigError names the line and path', () => {
    mkdirSync(paths.configDir, { recursive: true });
    writeFileSync(
      join(paths.configDir, 'contexts.json'),
      '{\n  "contexts": [\n    { "name": "prod", "region": "eu-west-1", "platformConfig": "p.yaml", "endpoint": "x" }\n  ]\n}\n',
    );
    expect(() => listContexts(paths, {})).toThrow(ConfigError);
    expect(() => listContexts(paths, {})).toThrow(
      /contexts\.json:3: contexts\[0\]\.endpoint: unknown key "endpoint"/,
    );
  });
});
