// The store's side of the change audit: appending hash-chained entries (one IMMEDIATE
// transaction each, so two processes never chain onto the same head) and the per-target
// apply leases that let exactly one of two concurrent applies through.
import type Database from 'better-sqlite3';
import { chainRow, GENESIS_HASH } from '../changes/audit.js';
import { AuditBodySchema, type AuditBody, type AuditRow } from '../changes/model.js';

export interface ChangeLease {
  /** context + group, e.g. "sandbox/store-web" */
  target: string;
  changeId: string;
  /** who holds it: user@host */
  holder: string;
  pid: number;
  acquiredAt: number;
  expiresAt: number;
}

export type LeaseResult =
  | {
      ok: true;
      lease: ChangeLease;
      /** an expired or orphaned lease this one replaced */ replaced?: ChangeLease;
    }
  | { ok: false; held: ChangeLease };

export interface ChangeLog {
  /** Appends `body` as the next entry (its seq is assigned here); returns the stored row. */
  append(body: Omit<AuditBody, 'seq'>): AuditRow;
  /** Entries by seq ascending; `from`/`to` filter on their time (epoch ms, inclusive). */
  rows(filter?: { changeId?: string; from?: number; to?: number }): AuditRow[];
  /** seq of the last entry appended through Ballast (kept apart from the rows), if any */
  head(): number | undefined;
  /**
   * Takes the lease on `lease.target` unless someone else holds it: an unexpired lease is
   * held unless `orphaned(held)` says its process is gone.
   */
  acquireLease(lease: ChangeLease, orphaned: (held: ChangeLease) => boolean): LeaseResult;
  /** Releases the lease if `changeId` still holds it. */
  releaseLease(target: string, changeId: string): void;
  /** Every lease held now (expired ones included). */
  leases(): ChangeLease[];
}

const HEAD_KEY = 'change_audit_head';

interface LeaseRow {
  target: string;
  change_id: string;
  holder: string;
  pid: number;
  acquired_at: number;
  expires_at: number;
}

const toLease = (r: LeaseRow): ChangeLease => ({
  target: r.target,
  changeId: r.change_id,
  holder: r.holder,
  pid: r.pid,
  acquiredAt: r.acquired_at,
  expiresAt: r.expires_at,
});

export function createChangeLog(db: Database.Database): ChangeLog {
  const last = db.prepare('SELECT seq, hash FROM change_audit ORDER BY seq DESC LIMIT 1');
  const insert =
    db.prepare(`INSERT INTO change_audit (seq, change_id, phase, at, body, prev_hash, hash)
    VALUES (@seq, @changeId, @phase, @at, @body, @prevHash, @hash)`);
  const setHead = db.prepare(
    'INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const getHead = db.prepare('SELECT value FROM store_meta WHERE key = ?').pluck();
  const selectLease = db.prepare('SELECT * FROM change_leases WHERE target = ?');
  const upsertLease =
    db.prepare(`INSERT INTO change_leases (target, change_id, holder, pid, acquired_at, expires_at)
    VALUES (@target, @changeId, @holder, @pid, @acquiredAt, @expiresAt)
    ON CONFLICT (target) DO UPDATE SET change_id = excluded.change_id, holder = excluded.holder,
      pid = excluded.pid, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`);
  const deleteLease = db.prepare('DELETE FROM change_leases WHERE target = ? AND change_id = ?');

  return {
    append(body) {
      // The store runs synchronous = NORMAL (a commit survives the process being killed, not
      // a power cut); an audit entry is worth the fsync of FULL, so it survives both.
      const previous = db.pragma('synchronous', { simple: true }) as number;
      db.pragma('synchronous = FULL');
      try {
        return db
          .transaction((): AuditRow => {
            const prev = last.get() as { seq: number; hash: string } | undefined;
            const row = chainRow(
              AuditBodySchema.parse({ ...body, seq: (prev?.seq ?? 0) + 1 }),
              prev?.hash ?? GENESIS_HASH,
            );
            insert.run(row);
            setHead.run(HEAD_KEY, row.seq);
            return row;
          })
          .immediate();
      } finally {
        db.pragma(`synchronous = ${previous}`);
      }
    },
    rows(filter = {}) {
      const where: string[] = [];
      if (filter.changeId !== undefined) where.push('change_id = @changeId');
      if (filter.from !== undefined) where.push('at >= @from');
      if (filter.to !== undefined) where.push('at <= @to');
      const rows = db
        .prepare(
          `SELECT seq, change_id AS changeId, phase, at, body, prev_hash AS prevHash, hash
           FROM change_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`,
        )
        .all(filter) as AuditRow[];
      return rows;
    },
    head() {
      return getHead.get(HEAD_KEY) as number | undefined;
    },
    acquireLease(lease, orphaned) {
      return db
        .transaction((): LeaseResult => {
          const row = selectLease.get(lease.target) as LeaseRow | undefined;
          const held = row ? toLease(row) : undefined;
          if (held && held.expiresAt > lease.acquiredAt && !orphaned(held))
            return { ok: false, held };
          upsertLease.run(lease);
          return held ? { ok: true, lease, replaced: held } : { ok: true, lease };
        })
        .immediate();
    },
    releaseLease(target, changeId) {
      deleteLease.run(target, changeId);
    },
    leases() {
      return (db.prepare('SELECT * FROM change_leases ORDER BY target').all() as LeaseRow[]).map(
        toLease,
      );
    },
  };
}
