// A config file that Ballast cannot use. The message is the whole explanation: one line
// per problem as `file:line: path: what is wrong`, so editors and terminals can jump to it.

export interface ConfigIssue {
  /** dotted path into the document, e.g. tiers[1].resources[0].loadBalancer ('' = whole file) */
  path: string;
  /** 1-based line in the file, when the document locates it */
  line?: number;
  /** 1-based column on that line, when known (syntax errors) */
  column?: number;
  /** what is wrong, e.g. `expected app/<name>/<id>, got "foo"` */
  message: string;
  /** what would have been accepted, when the schema says */
  expected?: string;
}

export class ConfigError extends Error {
  readonly file: string;
  readonly issues: ConfigIssue[];

  constructor(
    file: string,
    issues: ConfigIssue[],
    options: { heading?: string; hint?: string } = {},
  ) {
    const heading =
      options.heading ??
      `Invalid config ${file} (${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}):`;
    const lines = issues.map((issue) => `  ${formatIssue(file, issue)}`);
    super([heading, ...lines, ...(options.hint ? [options.hint] : [])].join('\n'));
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

export function formatIssue(file: string, issue: ConfigIssue): string {
  const where =
    issue.line === undefined
      ? file
      : `${file}:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}
