// kill -9 in the middle of an apply loses no audit entry: the intent is in the store
// (WAL, synchronous) before the first write to AWS, and the next process records the
// change as interrupted. The child runs on the built core, as the CLI does.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cpuPolicy, FakeAutoScaling, fakePorts } from '../../test/fake-auto-scaling.js';
import { loadPlatformConfig, referencePlatformConfigPath } from '../config/index.js';
import { openStore } from '../store/store.js';
import { createChangeEngine } from './engine.js';

const child = fileURLToPath(new URL('../../test/apply-child.mjs', import.meta.url));

describe('an apply killed with SIGKILL between its intent and its outcome', () => {
  it('given the process is killed inside its first AWS write, then the intent is in the log, the chain holds, and the next process records the change as interrupted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-kill-'));
    const proc = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      proc.on('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('WRITING')) resolve();
      });
      proc.on('exit', () => reject(new Error(`the child ended before writing: ${stderr}`)));
    });

    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const store = openStore(dir);
    try {
      const rows = store.changes.rows();
      expect(rows.map((r) => r.phase)).toEqual(['intent']);
      const aws = new FakeAutoScaling().addGroup({ name: 'store-web' });
      aws.policies.set('store-web', [cpuPolicy('store-web-cpu70', 70)]);
      const engine = createChangeEngine({
        context: 'sandbox',
        platform: loadPlatformConfig(referencePlatformConfigPath),
        store,
        ports: fakePorts(aws),
        now: Date.now,
      });
      expect(engine.verifyAudit()).toMatchObject({ ok: true, entries: 1 });
      const [record] = engine.list();
      expect(record).toMatchObject({
        status: 'pending',
        reason: 'killed mid-apply',
        actor: { user: 'jane' },
      });

      // the lease names a process that is gone: the next process takes over and records it
      expect(await engine.recover()).toEqual([record!.changeId]);
      expect(engine.show(record!.changeId)).toMatchObject({
        status: 'interrupted',
        steps: [{ status: 'unknown' }],
      });
      expect(engine.verifyAudit()).toMatchObject({ ok: true, entries: 2 });
    } finally {
      store.close();
    }
  });
});
