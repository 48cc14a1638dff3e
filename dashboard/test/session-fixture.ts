// A signed-in client of the dashboard API for supertest: a viewer and an operator, and the
// writes a page makes (its Origin and the CSRF token GET /api/session gives the session).
import type { Express } from 'express';
import request from 'supertest';
import { expect } from 'vitest';
import type { Credential } from '../server/src/roles.js';

/** The host the tests address the dashboard by: not loopback, so tokens are required. */
export const HOST = 'dash.example:4730';
export const ORIGIN = `http://${HOST}`;
export const OPERATOR: Credential = {
  role: 'operator',
  name: 'jane',
  token: 'operator-token-0123456789',
};
export const VIEWER: Credential = {
  role: 'viewer',
  name: 'sam',
  token: 'viewer-token-0123456789ab',
};

/** Signs `who` in with a Bearer token and returns its GET and its writes, CSRF token set. */
export async function signIn(server: Express, who: Credential) {
  const session = await request(server)
    .get('/api/session')
    .set('Host', HOST)
    .set('Authorization', `Bearer ${who.token}`)
    .expect(200);
  expect(session.body).toMatchObject({ role: who.role, name: who.name });
  const csrf = session.body.csrfToken as string;
  return {
    csrf,
    post: (url: string, body: object, headers: Record<string, string> = {}) => {
      let r = request(server)
        .post(url)
        .set('Host', HOST)
        .set('Authorization', `Bearer ${who.token}`)
        .set('Origin', ORIGIN)
        .set('x-ballast-csrf', csrf);
      for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
      return r.send(body);
    },
    get: (url: string) =>
      request(server).get(url).set('Host', HOST).set('Authorization', `Bearer ${who.token}`),
  };
}
