import { homedir } from 'node:os';
import { isAbsolute, relative } from 'node:path';
import { ballastPaths, DEFAULT_SANDBOX_URL, listContexts, type ListedContext } from '@ballast/core';
import { BallastCommand } from '../../base-command.js';
import { renderTable } from '../../output/table.js';

export interface ContextListResult {
  current: string;
  contexts: ListedContext[];
}

export default class ContextList extends BallastCommand<ContextListResult> {
  public static override summary =
    'List the contexts: where each one reads from, and which one is current.';

  public static override description = `A context names a target: AWS region, optional profile and endpoint URL, and the platform config that says which resources form each tier. The current context (marked *) is used when neither --context nor BALLAST_CONTEXT says otherwise. The "sandbox" context is built in and points at the local sandbox (BALLAST_SANDBOX_URL, default ${DEFAULT_SANDBOX_URL}).`;

  public static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
  ];

  public async run(): Promise<ContextListResult> {
    await this.parse(ContextList);
    const { current, contexts } = listContexts(ballastPaths(), process.env);
    const p = this.palette;
    const rows = contexts.map((c) => [
      c.name === current ? p.green('*') : ' ',
      (c.name === current ? p.bold(c.name) : c.name) + (c.builtIn ? p.dim(' (built in)') : ''),
      c.region,
      c.profile ?? p.dim(c.dummyCredentials ? 'test/test' : 'default chain'),
      c.endpointUrl ?? p.dim('AWS'),
      displayPath(c.platformConfig),
    ]);
    const columns = [
      { header: '' },
      { header: 'name' },
      { header: 'region' },
      { header: 'credentials' },
      { header: 'endpoint', shrink: true, minWidth: 12 },
      { header: 'platform config', shrink: true, minWidth: 16, cut: 'start' as const },
    ];
    this.log(renderTable(columns, rows, { width: this.terminal.width, header: p.dim }).join('\n'));
    return { current, contexts };
  }
}

/** Relative to the working directory when inside it, else with ~ for the home directory. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel;
  const home = homedir();
  return file.startsWith(`${home}/`) ? `~${file.slice(home.length)}` : file;
}
