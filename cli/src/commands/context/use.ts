import { ballastPaths, useContext } from '@ballast/core';
import { Args } from '@oclif/core';
import { BallastCommand } from '../../base-command.js';

export interface ContextUseResult {
  current: string;
}

export default class ContextUse extends BallastCommand<ContextUseResult> {
  public static override summary = 'Make a context the current one.';

  public static override description =
    'Commands read from the current context unless --context or BALLAST_CONTEXT names another. The choice is saved in the config dir (contexts.json).';

  public static override examples = [
    '<%= config.bin %> <%= command.id %> prod',
    '<%= config.bin %> <%= command.id %> sandbox',
  ];

  public static override args = {
    name: Args.string({
      description: 'Name of the context (see `ballast context list`).',
      required: true,
    }),
  };

  public async run(): Promise<ContextUseResult> {
    const { args } = await this.parse(ContextUse);
    useContext(ballastPaths(), args.name);
    this.log(`Current context is now ${this.palette.bold(args.name)}.`);
    return { current: args.name };
  }
}
