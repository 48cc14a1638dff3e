// Sign-in without a token on loopback, behind an authenticating proxy, and from a tokens file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { makeHealth } from '../../test/health-fixture.js';
import { authFromEnv } from './index.js';
import { parseTokensFile } from './roles.js';
import { createServer, type DashboardDeps } from './server.js';

const base: DashboardDeps = {
  health: () => Promise.resolve(makeHealth({ now: 0 })),
  now: () => 0,
};

describe('who is signed in', () => {
  it('given no authentication, then a loopback request is the local user, an operator', async () => {
    const app = createServer({ ...base, localUser: 'jane', changes: {} as never });
    const res = await request(app).get('/api/session').set('Host', '127.0.0.1:4706').expect(200);
    expect(res.body).toMatchObject({ role: 'operator', name: 'jane' });
  });

  it('given a trusted proxy header, then listed names are operators, others viewers, and a request without it is refused', async () => {
    const app = createServer({
      ...base,
      proxy: { header: 'X-Forwarded-User', operators: ['jane'] },
      changes: {} as never,
    });
    const as = (user: string) =>
      request(app).get('/api/session').set('X-Forwarded-User', user).expect(200);

    expect((await as('jane')).body).toMatchObject({ role: 'operator', name: 'jane' });
    expect((await as('sam')).body).toMatchObject({ role: 'viewer', name: 'sam' });
    const res = await request(app).get('/api/session').expect(401);
    expect(res.body.message).toMatch(/did not send X-Forwarded-User/);
  });
});

describe('tokens from the environment', () => {
  it('given a tokens file and a viewer token, then each becomes a credential', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ballast-tokens-'));
    try {
      const file = path.join(dir, 'tokens');
      writeFileSync(file, '# who may sign in\noperator jane 0123456789abcdef0123\n\n');
      const auth = authFromEnv({
        BALLAST_DASHBOARD_TOKENS_FILE: file,
        BALLAST_DASHBOARD_VIEWER_TOKEN: 'fedcba9876543210fedc',
      });
      expect(auth.credentials).toEqual([
        { role: 'operator', name: 'jane', token: '0123456789abcdef0123' },
        { role: 'viewer', name: 'viewer', token: 'fedcba9876543210fedc' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['admin jane 0123456789abcdef0123', /tokens:1: expected "<viewer\|operator> <name> <token>"/],
    ['operator jane short', /at least 16 characters/],
    ['operator jane 0123456789abcdef0123 extra', /tokens:1/],
  ])('given the line %j, then the file is refused with its line', (line, message) => {
    expect(() => parseTokensFile(line, 'tokens')).toThrow(message);
  });
});
