// The system activity database: snapshots (snapshot.ts) in SQLite through node:sqlite, as
// sysstat keeps them in /var/log/sa/saDD. One row per sample in `sample` (cumulative
// counters and gauges, one column each), and one row per device and sample in `dev`
// (class 'disk': a mount or an I/O kind; class 'net': a socket kind). Times are ms since the
// epoch; `boot` names the kernel instance, so a reader can tell a counter reset (restart)
// from a decrease.
//
// Why SQLite in the host process: the collector lives beside the kernel, in the host (it
// reads the kernel's process table directly, as sadc reads /proc), so it can use
// node:sqlite; processes cannot — node:sqlite is a host module, and JS processes are refused
// host modules by design (docs/jsproc.md), as WASI processes have no host at all. Processes
// read the history through the kernel (/dev/sa, device.ts) and the host through this file.
//
// Durability: WAL journal (readers — `isokernel sar` from another host process — never block
// the writer), synchronous=NORMAL (a host crash may lose the last samples, never corrupt the
// file). A file that is not a database is moved aside (sa.db.corrupt-TIME) and a new one made.
import { existsSync, renameSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { DevCounters, Snapshot } from './snapshot.ts';

export const SCHEMA_VERSION = 1;

/** Snapshot fields stored as columns, in order: [field, column, SQL type]. */
const COLUMNS: readonly [keyof Snapshot, string, string][] = [
  ['t', 't', 'INTEGER NOT NULL'], ['boot', 'boot', 'TEXT NOT NULL'], ['uptimeMs', 'uptime_ms', 'REAL'],
  ['hostname', 'hostname', 'TEXT'], ['release', 'release', 'TEXT'],
  ['cpuUserNs', 'cpu_user_ns', 'REAL'], ['cpuSysNs', 'cpu_sys_ns', 'REAL'], ['cpuIdleNs', 'cpu_idle_ns', 'REAL'],
  ['cpuBusyNs', 'cpu_busy_ns', 'REAL'], ['procsCreated', 'procs_created', 'INTEGER'], ['cswch', 'cswch', 'INTEGER'],
  ['syscalls', 'syscalls', 'INTEGER'], ['ioRops', 'io_rops', 'INTEGER'], ['ioWops', 'io_wops', 'INTEGER'],
  ['ioRbytes', 'io_rbytes', 'INTEGER'], ['ioWbytes', 'io_wbytes', 'INTEGER'],
  ['nproc', 'nproc', 'INTEGER'], ['nrun', 'nrun', 'INTEGER'], ['nsleep', 'nsleep', 'INTEGER'], ['nstop', 'nstop', 'INTEGER'],
  ['nzombie', 'nzombie', 'INTEGER'], ['load1', 'load1', 'REAL'], ['load5', 'load5', 'REAL'], ['load15', 'load15', 'REAL'],
  ['memTotalKb', 'mem_total_kb', 'INTEGER'], ['memFreeKb', 'mem_free_kb', 'INTEGER'], ['memAvailKb', 'mem_avail_kb', 'INTEGER'],
  ['rssKb', 'rss_kb', 'INTEGER'], ['heapUsedKb', 'heap_used_kb', 'INTEGER'], ['heapTotalKb', 'heap_total_kb', 'INTEGER'],
  ['externalKb', 'external_kb', 'INTEGER'], ['linearKb', 'linear_kb', 'INTEGER'],
  ['linearActiveKb', 'linear_active_kb', 'INTEGER'], ['linearInactKb', 'linear_inact_kb', 'INTEGER'],
];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sample (
  id INTEGER PRIMARY KEY,
  ${COLUMNS.map(([, c, type]) => `${c} ${type}`).join(',\n  ')}
);
CREATE INDEX IF NOT EXISTS sample_t ON sample(t);
CREATE TABLE IF NOT EXISTS dev (
  sample INTEGER NOT NULL,
  class TEXT NOT NULL CHECK (class IN ('disk', 'net')),
  name TEXT NOT NULL,
  rops INTEGER NOT NULL, wops INTEGER NOT NULL, rbytes INTEGER NOT NULL, wbytes INTEGER NOT NULL,
  PRIMARY KEY (sample, class, name)
) WITHOUT ROWID;
`;

export class StoreError extends Error {
  readonly code = 'ESADB';
}

type Row = Record<string, unknown>;

export class SaStore {
  readonly path: string;
  readonly readOnly: boolean;
  private readonly db: DatabaseSync;
  private insertSample: StatementSync | null = null;
  private insertDev: StatementSync | null = null;
  private selectRange: StatementSync | null = null;
  private selectDevs: StatementSync | null = null;
  private closed = false;

  /**
   * Opens (creating unless readOnly) the database at `path`, or ':memory:'. Errors: StoreError
   * with the path and SQLite's reason (a newer schema, a read-only file opened for writing,
   * a missing file opened read-only).
   */
  constructor(path: string, opts: { readOnly?: boolean } = {}) {
    this.path = path;
    this.readOnly = opts.readOnly === true;
    if (this.readOnly && path !== ':memory:' && !existsSync(path)) throw new StoreError(`${path}: no activity database (nothing sampled yet?)`);
    try {
      this.db = this.open();
    } catch (e) {
      if (this.readOnly || path === ':memory:' || !isCorrupt(e)) throw new StoreError(`${path}: ${(e as Error).message}`);
      // Not a database: keep it for inspection, start a new one.
      renameSync(path, `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      try {
        this.db = this.open();
      } catch (e2) {
        throw new StoreError(`${path}: ${(e2 as Error).message}`);
      }
    }
  }

  private open(): DatabaseSync {
    const db = new DatabaseSync(this.path, { readOnly: this.readOnly, timeout: 5000 });
    try {
      const v = Number((db.prepare('PRAGMA user_version').get() as Row).user_version);
      if (v > SCHEMA_VERSION) throw new Error(`schema version ${v} is newer than this isokernel's (${SCHEMA_VERSION})`);
      if (!this.readOnly) {
        if (this.path !== ':memory:') db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
        db.exec(SCHEMA);
        if (v < SCHEMA_VERSION) db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      } else if (v === 0) {
        // An empty file, or not ours: a read of a table that is not there says so below.
        db.prepare('SELECT 1 FROM sample LIMIT 1').get();
      }
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Stores one snapshot; returns its row id. */
  insert(s: Snapshot): number {
    this.live();
    this.insertSample ??= this.db.prepare(
      `INSERT INTO sample (${COLUMNS.map(([, c]) => c).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
    this.insertDev ??= this.db.prepare('INSERT INTO dev (sample, class, name, rops, wops, rbytes, wbytes) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const values = COLUMNS.map(([f]) => {
      const v = s[f];
      return typeof v === 'number' ? (Number.isFinite(v) ? v : 0) : typeof v === 'string' ? v : null;
    });
    this.db.exec('BEGIN');
    try {
      const id = Number(this.insertSample.run(...values).lastInsertRowid);
      for (const [cls, devs] of [['disk', s.disk], ['net', s.net]] as const) {
        for (const [name, d] of Object.entries(devs)) this.insertDev.run(id, cls, name, d.rops, d.wops, d.rbytes, d.wbytes);
      }
      this.db.exec('COMMIT');
      return id;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Deletes samples taken before `t` (ms since the epoch); returns how many went. */
  prune(t: number): number {
    this.live();
    this.db.exec('BEGIN');
    try {
      this.db.prepare('DELETE FROM dev WHERE sample IN (SELECT id FROM sample WHERE t < ?)').run(t);
      const n = Number(this.db.prepare('DELETE FROM sample WHERE t < ?').run(t).changes);
      this.db.exec('COMMIT');
      return n;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /**
   * Samples with from <= t < to, oldest first (at most `limit`). `devices: false` leaves
   * their disk and net rows out (empty), for reports that do not show them.
   */
  range(from: number, to: number, opts: { devices?: boolean; limit?: number } = {}): Snapshot[] {
    this.live();
    this.selectRange ??= this.db.prepare(`SELECT id, ${COLUMNS.map(([, c]) => c).join(', ')} FROM sample WHERE t >= ? AND t < ? ORDER BY t, id LIMIT ?`);
    this.selectRange.setReturnArrays(true);
    const rows = this.selectRange.all(from, to, opts.limit ?? 1_000_000) as unknown as unknown[][];
    if (rows.length === 0) return [];
    const byId = new Map<number, Snapshot>();
    let first = Infinity, last = -Infinity;
    const out = rows.map((r) => {
      const s = fromRow(r);
      const id = Number(r[0]);
      byId.set(id, s);
      if (id < first) first = id;
      if (id > last) last = id;
      return s;
    });
    if (opts.devices === false) return out;
    this.selectDevs ??= this.db.prepare('SELECT sample, class, name, rops, wops, rbytes, wbytes FROM dev WHERE sample BETWEEN ? AND ?');
    this.selectDevs.setReturnArrays(true);
    for (const d of this.selectDevs.all(first, last) as unknown as unknown[][]) {
      const s = byId.get(Number(d[0]));
      if (!s) continue;
      const c: DevCounters = { rops: Number(d[3]), wops: Number(d[4]), rbytes: Number(d[5]), wbytes: Number(d[6]) };
      (d[1] === 'net' ? s.net : s.disk)[String(d[2])] = c;
    }
    return out;
  }

  /** How many samples, and the oldest and newest times (null when empty). */
  stats(): { count: number; first: number | null; last: number | null } {
    this.live();
    const r = this.db.prepare('SELECT count(*) AS n, min(t) AS a, max(t) AS b FROM sample').get() as Row;
    return { count: Number(r.n), first: r.a === null ? null : Number(r.a), last: r.b === null ? null : Number(r.b) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private live(): void {
    if (this.closed) throw new StoreError(`${this.path}: the activity database is closed`);
  }
}

/** A row of `SELECT id, COLUMNS...` as a Snapshot (without its devices). */
function fromRow(r: unknown[]): Snapshot {
  const n = (i: number): number => Number(r[i + 1] ?? 0);
  const str = (i: number): string => String(r[i + 1] ?? '');
  // In COLUMNS order; a literal keeps the objects' shape fixed (fast property access in sar).
  return {
    t: n(0), boot: str(1), uptimeMs: n(2), hostname: str(3), release: str(4),
    cpuUserNs: n(5), cpuSysNs: n(6), cpuIdleNs: n(7), cpuBusyNs: n(8), procsCreated: n(9), cswch: n(10),
    syscalls: n(11), ioRops: n(12), ioWops: n(13), ioRbytes: n(14), ioWbytes: n(15),
    nproc: n(16), nrun: n(17), nsleep: n(18), nstop: n(19), nzombie: n(20), load1: n(21), load5: n(22), load15: n(23),
    memTotalKb: n(24), memFreeKb: n(25), memAvailKb: n(26), rssKb: n(27), heapUsedKb: n(28), heapTotalKb: n(29),
    externalKb: n(30), linearKb: n(31), linearActiveKb: n(32), linearInactKb: n(33),
    disk: {}, net: {},
  };
}

// fromRow's literal must follow COLUMNS: checked once at load.
{
  const probe = fromRow([0, ...COLUMNS.map((_, i) => i)]) as unknown as Record<string, unknown>;
  COLUMNS.forEach(([f], i) => {
    const v = probe[f];
    if (v !== i && v !== String(i)) throw new Error(`store.ts: fromRow does not match COLUMNS at ${f}`);
  });
}

function isCorrupt(e: unknown): boolean {
  const m = String((e as Error)?.message ?? e);
  return /not a database|malformed|SQLITE_NOTADB|SQLITE_CORRUPT/i.test(m);
}
