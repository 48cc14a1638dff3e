// The audit log's hash chain: each entry hashes the previous entry's hash and its own
// canonical JSON, so editing, deleting or reordering a row breaks the chain from there on.
// Pure: the store hands in its rows (audit-log.ts in the store appends them).
import { AuditBodySchema, type AuditBody, type AuditRow } from './model.js';
import { canonicalJson, sha256Hex } from './canonical.js';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export function auditHash(prevHash: string, body: string): string {
  return sha256Hex(`${prevHash}\n${body}`);
}

/** The row for `body`, chained after `prevHash`. */
export function chainRow(body: AuditBody, prevHash: string): AuditRow {
  const text = canonicalJson(body);
  return {
    seq: body.seq,
    changeId: body.changeId,
    phase: body.phase,
    at: body.at,
    body: text,
    prevHash,
    hash: auditHash(prevHash, text),
  };
}

export type AuditChainReport =
  | { ok: true; entries: number; headHash: string }
  | {
      ok: false;
      entries: number;
      /** the first entry that does not hold: its position in the log (1-based) */
      brokenAt: number;
      /** the change that entry belongs to, when its row still says */
      changeId?: string;
      problem: 'edited' | 'missing' | 'reordered' | 'unreadable' | 'truncated';
      message: string;
    };

/**
 * Checks rows in the order the store keeps them (by seq). `expectedHead`, when the store
 * records it, is the seq of the last entry appended: a log cut short at its end is caught
 * by it (an unanchored chain cannot tell a deleted last entry from one never written).
 */
export function verifyAuditChain(
  rows: readonly AuditRow[],
  expectedHead?: number,
): AuditChainReport {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  const broken = (
    row: AuditRow,
    problem: Extract<AuditChainReport, { ok: false }>['problem'],
    message: string,
  ): AuditChainReport => ({
    ok: false,
    entries: rows.length,
    brokenAt: row.seq,
    changeId: row.changeId,
    problem,
    message,
  });
  for (const row of rows) {
    const label = `entry #${row.seq} (change ${row.changeId}, ${row.phase})`;
    let body: AuditBody;
    try {
      body = AuditBodySchema.parse(JSON.parse(row.body));
    } catch {
      return broken(row, 'unreadable', `${label} is not a readable audit entry: it was edited.`);
    }
    if (auditHash(row.prevHash, row.body) !== row.hash)
      return broken(row, 'edited', `${label} was edited: its hash does not match its content.`);
    if (body.seq !== row.seq || body.changeId !== row.changeId || body.phase !== row.phase)
      return broken(
        row,
        'reordered',
        `${label} is out of place: its content says entry #${body.seq}.`,
      );
    if (row.seq > expectedSeq)
      return broken(
        row,
        'missing',
        `entries #${expectedSeq}${row.seq - 1 > expectedSeq ? `-#${row.seq - 1}` : ''} before ${label} are missing: deleted.`,
      );
    if (row.prevHash !== prevHash)
      return broken(
        row,
        'reordered',
        `${label} does not follow the entry before it (its previous hash differs): entries were reordered or replaced.`,
      );
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
  }
  if (expectedHead !== undefined && expectedHead > expectedSeq - 1)
    return {
      ok: false,
      entries: rows.length,
      brokenAt: expectedSeq,
      problem: 'truncated',
      message: `the log ends at entry #${expectedSeq - 1} but #${expectedHead} was written: the last entries were deleted.`,
    };
  return { ok: true, entries: rows.length, headHash: prevHash };
}
