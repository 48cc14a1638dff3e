// STS adapter: who Ballast's writes are made as (GetCallerIdentity), for the change audit.
// AWS answers it for any valid credentials; no IAM permission is needed.
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { IdentityPort } from '@ballast/core';

export class StsIdentity implements IdentityPort {
  constructor(private readonly client: STSClient) {}

  async callerIdentity(
    signal?: AbortSignal,
  ): Promise<{ arn: string; account: string; userId: string }> {
    const answer = await this.client.send(
      new GetCallerIdentityCommand({}),
      signal ? { abortSignal: signal } : {},
    );
    if (!answer.Arn || !answer.Account)
      throw Object.assign(new Error('GetCallerIdentity answered without an Arn or Account'), {
        name: 'InvalidResponse',
        $fault: 'server',
      });
    return { arn: answer.Arn, account: answer.Account, userId: answer.UserId ?? '' };
  }
}
