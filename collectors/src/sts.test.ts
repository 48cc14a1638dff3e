import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { openStore, type Store } from '@ballast/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Meter } from './metering.js';
import { StsIdentity } from './sts.js';

const NOW = Date.UTC(2025, 10, 28, 12, 0);
let store: Store;
beforeEach(() => {
  store = openStore(mkdtempSync(join(tmpdir(), 'ballast-sts-')));
});
afterEach(() => store.close());

/** GetCallerIdentity's answer as AWS documents it (AWS Query protocol, XML). */
const ANSWER = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:sts::123456789012:assumed-role/ops/jane</Arn>
    <UserId>AROAEXAMPLEID:jane</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;

describe('StsIdentity', () => {
  it('given the documented answer on the wire, then the principal, and one metered request', async () => {
    const bodies: string[] = [];
    const client = new STSClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: {
        handle: async (request: { body?: string }) => {
          bodies.push(String(request.body));
          return {
            response: {
              statusCode: 200,
              headers: { 'content-type': 'text/xml' },
              body: Readable.from([Buffer.from(ANSWER)]),
            },
          };
        },
      },
    });
    new Meter(store, 'sandbox', () => NOW).attach(client, 'sts');

    const identity = await new StsIdentity(client).callerIdentity();

    expect(identity).toEqual({
      arn: 'arn:aws:sts::123456789012:assumed-role/ops/jane',
      account: '123456789012',
      userId: 'AROAEXAMPLEID:jane',
    });
    expect(bodies).toEqual(['Action=GetCallerIdentity&Version=2011-06-15']);
    expect(store.callLedger().rows).toEqual([
      expect.objectContaining({
        service: 'sts',
        operation: 'GetCallerIdentity',
        requests: 1,
        priceUsd: 0,
      }),
    ]);
  });

  it('given an answer without an Arn, then it fails rather than record an unknown principal', async () => {
    const sts = mockClient(STSClient);
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });

    await expect(
      new StsIdentity(new STSClient({ region: 'us-east-1' })).callerIdentity(),
    ).rejects.toThrow('GetCallerIdentity answered without an Arn or Account');
    sts.restore();
  });
});
