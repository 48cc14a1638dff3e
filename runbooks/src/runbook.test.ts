import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintRunbook, parseRunbook } from './runbook.js';

// The shipped runbooks sit beside src/, whatever directory the tests are started from.
const RUNBOOKS_DIR = fileURLToPath(new URL('..', import.meta.url));
const shipped = readdirSync(RUNBOOKS_DIR).filter((f) => f.endsWith('.md') && f !== 'README.md');

describe('parseRunbook', () => {
  it('reads title, trigger and steps with their commands', () => {
    // Given a runbook with two steps, one with a command
    const md = [
      '# Disk full',
      '',
      '**When:** the disk alarm fires',
      'on any host.',
      '',
      '## Steps',
      '',
      '1. Look at usage.',
      '   More detail.',
      '',
      '   ```sh',
      '   df -h',
      '   ```',
      '',
      '2. Tell the team.',
      '',
      '   ```text',
      '   not a command',
      '   ```',
    ].join('\n');
    // When it is parsed
    const book = parseRunbook(md, 'disk.md');
    // Then the structure is recovered
    expect(book).toEqual({
      file: 'disk.md',
      title: 'Disk full',
      when: 'the disk alarm fires on any host.',
      steps: [
        { number: 1, text: 'Look at usage. More detail.', commands: ['df -h'] },
        { number: 2, text: 'Tell the team.', commands: [] },
      ],
    });
  });
});

describe('lintRunbook', () => {
  it.each([
    [
      'no title',
      '**When:** x\n\n## Steps\n\n1. a\n\n   ```sh\n   ls\n   ```\n',
      'missing a "# Title" heading',
    ],
    [
      'no trigger',
      '# T\n\n## Steps\n\n1. a\n\n   ```sh\n   ls\n   ```\n',
      'missing a "**When:**" line',
    ],
    ['no steps', '# T\n\n**When:** x\n\n## Steps\n\nnothing\n', 'no numbered steps'],
    [
      'bad numbering',
      '# T\n\n**When:** x\n\n## Steps\n\n1. a\n\n   ```sh\n   ls\n   ```\n\n3. b\n',
      'should be numbered 2',
    ],
    ['no commands', '# T\n\n**When:** x\n\n## Steps\n\n1. a\n', 'no step has a ```sh command'],
  ])('reports %s', (_name, md, expected) => {
    const messages = lintRunbook(md, 'x.md').map((p) => p.message);
    expect(messages.join('\n')).toContain(expected);
  });

  it('finds the shipped runbooks (from any working directory)', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(2);
  });

  it.each(shipped)('the shipped runbook %s is clean', (file) => {
    expect(lintRunbook(readFileSync(path.join(RUNBOOKS_DIR, file), 'utf8'), file)).toEqual([]);
  });
});
