// The store's requests, named for what a shopper does. Every request carries the tags
// `step` (the journey step, one of LOAD_STEPS), `name` (the URL with its ids taken out, so
// k6 groups them) and `kind` (`api` for what the web tier answers, `asset` for files), so
// results break down by step and the thresholds hold each kind to its SLO.
import http from 'k6/http';
import type { RefinedResponse, ResponseType } from 'k6/http';
import type { LoadStep } from '@ballast/core';

/** Base URL of the storefront: `-e BASE_URL=...`, default the local sandbox. */
export const baseUrl: string = (__ENV.BASE_URL || 'http://127.0.0.1:4566/store').replace(
  /\/+$/,
  '',
);
const originMatch = /^(https?:\/\/[^/]+)/i.exec(baseUrl);
const origin = originMatch ? originMatch[1]! : baseUrl;

/** A URL the store gave as a path on its own origin, made absolute. */
export function absolute(url: string): string {
  return /^https?:\/\//i.test(url) ? url : origin + url;
}

export type Kind = 'api' | 'asset';
export type Res = RefinedResponse<ResponseType | undefined>;

export function tags(step: LoadStep, name: string, kind: Kind = 'api'): Record<string, string> {
  return { step, name, kind };
}

export function get(step: LoadStep, url: string, name: string): Res {
  return http.get(absolute(url), { tags: tags(step, name) });
}

export function postJson(step: LoadStep, url: string, name: string, body: unknown): Res {
  return http.post(absolute(url), JSON.stringify(body), {
    headers: { 'Content-Type': 'application/json' },
    tags: tags(step, name),
  });
}

/** The JSON body of an answer, or undefined when it is not 2xx JSON. */
export function jsonOf<T>(res: Res): T | undefined {
  if (res.status < 200 || res.status >= 300) return undefined;
  try {
    return res.json() as unknown as T;
  } catch {
    return undefined;
  }
}
