import { resolve } from 'node:path';
import {
  addContext,
  ballastPaths,
  loadPlatformConfig,
  SANDBOX_CONTEXT,
  type Context,
} from '@ballast/core';
import { Args, Flags } from '@oclif/core';
import { BallastCommand } from '../../base-command.js';
import { UserError } from '../../errors.js';

export interface ContextAddResult {
  context: Context;
  /** the platform config's name and tiers, as validated before saving */
  platform: { name: string; region: string; tiers: string[] };
  current: boolean;
}

export default class ContextAdd extends BallastCommand<ContextAddResult> {
  public static override summary =
    'Save a named context: region, profile, endpoint and platform config.';

  public static override description = `The platform config file (YAML or JSON) is read and validated before anything is saved; its absolute path is stored, so keep the file where it is. Start from the reference platform in core/platforms/sandbox.yaml and replace its resource names with yours. Adding an existing name replaces that context; the built-in "sandbox" context cannot be replaced.`;

  public static override examples = [
    {
      description: 'Production through an SSO profile, and make it current.',
      command:
        '<%= config.bin %> <%= command.id %> prod --region us-east-1 --profile store-prod --platform-config ./prod.yaml --use',
    },
    {
      description: 'A second sandbox on another port.',
      command:
        '<%= config.bin %> <%= command.id %> sandbox2 --region us-east-1 --endpoint-url http://127.0.0.1:4577 --platform-config core/platforms/sandbox.yaml',
    },
  ];

  public static override args = {
    name: Args.string({
      description: 'Name of the context: letters, digits, ".", "_" or "-".',
      required: true,
    }),
  };

  public static override flags = {
    region: Flags.string({
      summary: 'AWS region of the platform, e.g. us-east-1.',
      required: true,
    }),
    profile: Flags.string({
      summary:
        'AWS profile (~/.aws/config) to sign requests with; default: the SDK credential chain.',
    }),
    'endpoint-url': Flags.string({
      summary: 'Custom AWS endpoint, e.g. a sandbox; default: the real AWS endpoints.',
    }),
    'platform-config': Flags.string({
      summary: 'YAML or JSON file describing the tiers and their resources.',
      required: true,
    }),
    use: Flags.boolean({ summary: 'Also make it the current context.', default: false }),
  };

  public async run(): Promise<ContextAddResult> {
    const { args, flags } = await this.parse(ContextAdd);
    if (args.name === SANDBOX_CONTEXT)
      throw new UserError(`"${SANDBOX_CONTEXT}" is the built-in context and cannot be replaced.`, {
        code: 'ReservedContextName',
        actions: [
          `Pick another name: ballast context add ${SANDBOX_CONTEXT}2 ...`,
          'To point the built-in one at another sandbox: export BALLAST_SANDBOX_URL=http://127.0.0.1:PORT',
        ],
      });
    const platformConfig = resolve(flags['platform-config']);
    const platform = loadPlatformConfig(platformConfig);
    if (platform.region !== flags.region)
      this.warn(
        `The platform config says region ${platform.region}, but the context uses --region ${flags.region}.`,
      );

    const context = addContext(
      ballastPaths(),
      {
        name: args.name,
        region: flags.region,
        platformConfig,
        ...(flags.profile ? { profile: flags.profile } : {}),
        ...(flags['endpoint-url'] ? { endpointUrl: flags['endpoint-url'] } : {}),
      },
      { use: flags.use },
    );
    const p = this.palette;
    this.log(
      `Saved context ${p.bold(context.name)}: platform ${platform.name} (${platform.tiers.map((t) => t.id).join(', ')}) in ${context.region}.`,
    );
    this.log(
      flags.use
        ? `It is now the current context. Try: ballast health`
        : `Use it with --context ${context.name}, or make it current: ballast context use ${context.name}`,
    );
    return {
      context,
      platform: {
        name: platform.name,
        region: platform.region,
        tiers: platform.tiers.map((t) => t.id),
      },
      current: flags.use,
    };
  }
}
