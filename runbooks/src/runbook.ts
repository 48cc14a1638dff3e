// A runbook is markdown: a title, a **When:** line saying what triggers it, and an ordered
// list of steps under "## Steps"; a step's ```sh block holds the command it runs.
export interface RunbookStep {
  number: number;
  text: string;
  /** shell commands of the step's ```sh blocks, in order */
  commands: string[];
}

export interface Runbook {
  file: string;
  title: string;
  when: string | null;
  steps: RunbookStep[];
}

export interface LintProblem {
  file: string;
  line: number;
  message: string;
}

const STEP = /^(\d+)\.\s+(.*)$/;

export function parseRunbook(markdown: string, file: string): Runbook {
  const lines = markdown.split(/\r?\n/);
  let title = '';
  let when: string | null = null;
  let inSteps = false;
  /** lines of the open fence; `command` when it is a step's ```sh block */
  let fence: { command: boolean; lines: string[] } | null = null;
  const steps: RunbookStep[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (fence) {
      if (!trimmed.startsWith('```')) fence.lines.push(trimmed);
      else {
        if (fence.command) steps.at(-1)?.commands.push(fence.lines.join('\n'));
        fence = null;
      }
      continue;
    }
    if (trimmed.startsWith('```')) {
      // Only ```sh blocks inside a step are commands; other fences are illustration.
      const command = inSteps && steps.length > 0 && /^```(sh|bash|shell)\s*$/.test(trimmed);
      fence = { command, lines: [] };
      continue;
    }
    if (!title && line.startsWith('# ')) title = line.slice(2).trim();
    else if (line.startsWith('## ')) inSteps = /^##\s+steps\s*$/i.test(line);
    else if (when === null && trimmed.startsWith('**When:**')) {
      const parts = [trimmed.slice('**When:**'.length).trim()];
      while (i + 1 < lines.length && (lines[i + 1] ?? '').trim() !== '')
        parts.push((lines[++i] ?? '').trim());
      when = parts.join(' ');
    } else if (inSteps) {
      const m = STEP.exec(line);
      if (m) steps.push({ number: Number(m[1]), text: m[2] ?? '', commands: [] });
      else if (trimmed && steps.length > 0 && line.startsWith('   ')) {
        const step = steps.at(-1)!;
        step.text = `${step.text} ${trimmed}`;
      }
    }
  }
  return { file, title, when, steps };
}

/** Problems that would leave an on-call engineer guessing. */
export function lintRunbook(markdown: string, file: string): LintProblem[] {
  const book = parseRunbook(markdown, file);
  const problems: LintProblem[] = [];
  const lineOf = (needle: RegExp) => {
    const idx = markdown.split(/\r?\n/).findIndex((l) => needle.test(l));
    return idx < 0 ? 1 : idx + 1;
  };
  if (!book.title) problems.push({ file, line: 1, message: 'missing a "# Title" heading' });
  if (!book.when)
    problems.push({
      file,
      line: 1,
      message: 'missing a "**When:**" line saying what triggers this runbook',
    });
  if (book.steps.length === 0)
    problems.push({
      file,
      line: lineOf(/^##\s+steps/i),
      message: 'no numbered steps under "## Steps"',
    });
  book.steps.forEach((step, i) => {
    if (step.number !== i + 1)
      problems.push({
        file,
        line: lineOf(new RegExp(`^${step.number}\\.\\s`)),
        message: `step ${step.number} should be numbered ${i + 1}`,
      });
  });
  if (book.steps.length > 0 && book.steps.every((s) => s.commands.length === 0))
    problems.push({
      file,
      line: lineOf(/^##\s+steps/i),
      message: 'no step has a ```sh command to run',
    });
  return problems;
}
