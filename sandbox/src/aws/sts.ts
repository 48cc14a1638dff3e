// AWS STS over the Query protocol (Action=GetCallerIdentity&Version=2011-06-15, SigV4 scope
// sts): who the caller is, from its access key, so what Ballast records has a principal.
// Temporary keys (ASIA...) are an assumed role's session; other keys an IAM user of the
// account, named after the key when it is a valid user name (AKIA... keys and odd ones get
// a name derived from them). The same key always gets the same identity.
import { fnv1a32 } from '@ballast/core';
import type { Simulation } from '../simulation/simulation.js';
import { AwsError } from './protocol.js';
import type { QueryParams } from './query-params.js';
import { el } from './xml.js';

export const STS_VERSION = '2011-06-15';
export const STS_XML_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
/** The role a temporary key's session is taken to have assumed. */
export const SANDBOX_ROLE = 'ballast-sandbox-operator';

export interface StsContext {
  simulation: Simulation;
  now: number;
  /** the access key of the request's signature */
  accessKeyId: string;
}

type Handler = (params: QueryParams, ctx: StsContext) => string;

/** The operations by Action: a Map, so no name reaches Object.prototype. */
export const stsOperations: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['GetCallerIdentity', (_params, ctx) => callerIdentityXml(ctx)],
]);

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export function callerIdentity(accessKeyId: string, account: string): CallerIdentity {
  const id = uniqueId(accessKeyId);
  if (/^ASIA[A-Z0-9]{12,124}$/.test(accessKeyId)) {
    // An assumed role: its session named after the key, as a tool names its sessions.
    const session = accessKeyId.slice(0, 64);
    return {
      account,
      arn: `arn:aws:sts::${account}:assumed-role/${SANDBOX_ROLE}/${session}`,
      userId: `AROA${id}:${session}`,
    };
  }
  const user =
    /^[\w+=,.@-]{1,64}$/.test(accessKeyId) && !/^AKIA[A-Z0-9]{12,}$/.test(accessKeyId)
      ? accessKeyId
      : `sandbox-user-${fnv1a32(accessKeyId).toString(16).padStart(8, '0')}`;
  return { account, arn: `arn:aws:iam::${account}:user/${user}`, userId: `AIDA${id}` };
}

/** 17 upper-case letters and digits derived from the key, as IAM unique ids look. */
function uniqueId(key: string): string {
  const part = (salt: string) =>
    fnv1a32(`${salt}:${key}`).toString(36).toUpperCase().padStart(7, '0');
  return `${part('a')}${part('b')}${part('c')}`.slice(0, 17);
}

function callerIdentityXml(ctx: StsContext): string {
  const who = callerIdentity(ctx.accessKeyId, ctx.simulation.accountId);
  return el('Arn', who.arn) + el('UserId', who.userId) + el('Account', who.account);
}

export const unknownStsAction = (action: string) =>
  new AwsError(
    'InvalidAction',
    `Could not find operation ${action} for version ${STS_VERSION}`,
    400,
  );
