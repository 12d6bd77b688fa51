// One log file of syslogd: /var/log/NAME.log, its rotation and its errors (docs/logging.md,
// "Rotation"). Written with node:fs and node:zlib only, so it runs inside isokernel (over
// system calls) and on the host (unit tests) alike.
//
// syslogd is the only writer. Lines are appended to `pending` and written in one write per
// batch (flush). Rotation happens between two lines, after the earlier ones are written and
// fsynced, so every line is in exactly one file and the files in order (NAME.log.K.gz …
// NAME.log.1.gz, NAME.log) hold the lines in the order they were logged:
//
//   1. fsync and close NAME.log
//   2. NAME.log.KEEP[.gz] is removed; NAME.log.I[.gz] → NAME.log.I+1[.gz] for I = KEEP-1 … 1
//   3. NAME.log → NAME.log.1; a new NAME.log is opened
//   4. with compress: NAME.log.1 → NAME.log.1.gz.tmp (gzip), fsync, rename to NAME.log.1.gz,
//      unlink NAME.log.1
//
// A crash at any step leaves whole files: recover() (at start) removes a *.gz.tmp, and
// compresses an uncompressed NAME.log.I left by step 4 (or removes it if its .gz exists).
//
// Errors (a full disk, a read-only or missing directory): the lines stay pending, up to
// PENDING_MAX bytes, and are written when writing works again; past it the oldest pending
// lines are dropped and counted, and a line saying how many is written first when the file
// works again. Each kind of error is reported (report()) once until it clears.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FileConfig } from './config.ts';
import { parseLine, parseTime, rfc3339 } from './format.ts';

export const PENDING_MAX = 8 << 20;
/** After an error, how long before opening the file is tried again (syslogd's timer ticks every second). */
const RETRY_MS = 400;

export interface LogFileOptions {
  /** Where errors and recoveries are told (syslogd: its stderr). */
  report?: (msg: string) => void;
  now?: () => number;
  host?: string;
}

/** The pending lines as one buffer. */
function toBuffer(parts: (string | Buffer)[], bytes: number): Buffer {
  if (parts.length === 1 && typeof parts[0] !== 'string') return parts[0]!;
  if (parts.every((p) => typeof p === 'string')) return Buffer.from((parts as string[]).join(''));
  const out = Buffer.allocUnsafe(bytes);
  let off = 0;
  for (const p of parts) off += typeof p === 'string' ? out.write(p, off) : p.copy(out, off);
  return out.subarray(0, off);
}

export class LogFile {
  readonly cfg: FileConfig;
  readonly dir: string;
  readonly path: string;
  private fd: number | null = null;
  /** Bytes in the current file. */
  private size = 0;
  /** When the current file got its first line (ms), or 0 if it is empty. */
  private firstMs = 0;
  /** Lines (strings) or a Buffer left over from a failed write, in order. */
  private pending: (string | Buffer)[] = [];
  private pendingBytes = 0;
  private dropped = 0;
  private failing: string | null = null;
  private lastTry = 0;
  private dirty = false;
  rotations = 0;
  private readonly report: (msg: string) => void;
  private readonly now: () => number;
  private readonly host: string;

  constructor(dir: string, cfg: FileConfig, o: LogFileOptions = {}) {
    this.dir = dir;
    this.cfg = cfg;
    this.path = path.join(dir, `${cfg.name}.log`);
    this.report = o.report ?? (() => {});
    this.now = o.now ?? Date.now;
    this.host = o.host ?? 'localhost';
  }

  /** Lines waiting to be written (after an error). */
  get backlog(): number {
    return this.pendingBytes;
  }

  /** Adds a line (with its newline); rotates first if it would pass the size limit or the file is too old. */
  append(line: string): void {
    const len = Buffer.byteLength(line);
    const r = this.cfg.rotate;
    if (this.fd === null) this.ensureOpen();
    const fill = this.size + this.pendingBytes;
    if (fill > 0 && this.fd !== null && this.failing === null) {
      const bySize = r.maxBytes > 0 && fill + len > r.maxBytes;
      const byAge = r.maxAgeMs > 0 && this.firstMs > 0 && this.now() - this.firstMs >= r.maxAgeMs;
      if (bySize || byAge) this.rotateNow();
    }
    if (this.firstMs === 0 && this.size + this.pendingBytes === 0) this.firstMs = this.now();
    this.pending.push(line);
    this.pendingBytes += len;
    while (this.pendingBytes > PENDING_MAX && this.pending.length > 1) {
      const old = this.pending.shift()!;
      this.pendingBytes -= typeof old === 'string' ? Buffer.byteLength(old) : old.length;
      this.dropped++;
    }
  }

  /** Rotates by age if due (a timer calls it: a quiet file still rotates). */
  checkAge(): void {
    const r = this.cfg.rotate;
    if (r.maxAgeMs > 0 && this.firstMs > 0 && this.now() - this.firstMs >= r.maxAgeMs) {
      this.flush();
      if (this.fd !== null && this.failing === null && this.size > 0) this.rotateNow();
    }
  }

  /** Writes what is pending (one write); false if it could not (the lines stay pending). */
  flush(): boolean {
    if (this.pending.length === 0 && this.dropped === 0) return true;
    if (!this.ensureOpen()) return false;
    if (this.dropped > 0) {
      const note = Buffer.from(`${rfc3339(BigInt(this.now()) * 1_000_000n)} ${this.host} syslogd[${process.pid}]: ` +
        `${this.dropped} lines for ${this.cfg.name}.log were dropped while it could not be written\n`);
      this.pending.unshift(note);
      this.pendingBytes += note.length;
      this.dropped = 0;
    }
    const data = toBuffer(this.pending, this.pendingBytes);
    let off = 0;
    try {
      while (off < data.length) off += fs.writeSync(this.fd!, data, off, data.length - off);
    } catch (e) {
      // Keep what was not written. A line cut by the error is cut off the file again
      // (ftruncate to the last whole line) and kept whole; if that fails, the rest is kept.
      let keep = off;
      if (off > 0) {
        const nl = data.lastIndexOf(10, off - 1);
        try {
          fs.ftruncateSync(this.fd!, this.size + nl + 1);
          keep = nl + 1;
        } catch { /* keep the fragment */ }
      }
      this.pending = [data.subarray(keep)];
      this.pendingBytes = data.length - keep;
      this.size += keep;
      this.fail(e, 'write');
      return false;
    }
    this.size += data.length;
    this.pending = [];
    this.pendingBytes = 0;
    this.dirty = true;
    this.cleared();
    return true;
  }

  /** fsync if anything was written since the last one. */
  sync(): void {
    if (this.fd === null || !this.dirty) return;
    try {
      fs.fsyncSync(this.fd);
      this.dirty = false;
    } catch (e) {
      this.fail(e, 'fsync');
    }
  }

  close(): void {
    this.flush();
    this.sync();
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch { /* nothing to do */ }
      this.fd = null;
    }
  }

  /** Cleans up after a crash in the middle of a rotation (see the file's note). */
  recover(): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    const base = `${this.cfg.name}.log.`;
    for (const n of names) {
      if (!n.startsWith(base)) continue;
      const rest = n.slice(base.length);
      const full = path.join(this.dir, n);
      try {
        if (/^\d+\.gz\.tmp$/.test(rest)) fs.unlinkSync(full);
        else if (/^\d+$/.test(rest) && this.cfg.rotate.compress) {
          if (fs.existsSync(`${full}.gz`)) fs.unlinkSync(full);
          else this.compress(full);
        }
      } catch (e) {
        this.fail(e, `recover ${n}`);
      }
    }
  }

  private ensureOpen(): boolean {
    if (this.fd !== null) return true;
    const t = this.now();
    if (this.failing !== null && t - this.lastTry < RETRY_MS) return false;
    this.lastTry = t;
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o755 });
      this.fd = fs.openSync(this.path, 'a', 0o640);
      this.size = fs.fstatSync(this.fd).size;
      this.firstMs = this.size > 0 ? this.firstLineMs() : 0;
      return true;
    } catch (e) {
      this.fd = null;
      this.fail(e, 'open');
      return false;
    }
  }

  /** The time of the file's first line, or its mtime. */
  private firstLineMs(): number {
    try {
      const b = Buffer.alloc(512);
      const fd = fs.openSync(this.path, 'r');
      let n: number;
      try {
        n = fs.readSync(fd, b, 0, b.length, 0);
      } finally {
        fs.closeSync(fd);
      }
      const line = b.subarray(0, n).toString().split('\n')[0]!;
      const p = parseLine(line);
      const ms = p ? parseTime(p.time) : NaN;
      if (!Number.isNaN(ms)) return ms;
      return fs.statSync(this.path).mtimeMs;
    } catch {
      return this.now();
    }
  }

  private rotateNow(): void {
    if (!this.flush()) return;
    this.sync();
    if (this.dirty) return; // fsync failed: rotate later
    const base = this.path;
    try {
      fs.closeSync(this.fd!);
    } catch { /* gone anyway */ }
    this.fd = null;
    try {
      const keep = this.cfg.rotate.keep;
      if (keep === 0) fs.unlinkSync(base);
      else {
        for (let i = keep; i >= 1; i--) {
          for (const sfx of ['.gz', '']) {
            const src = `${base}.${i}${sfx}`;
            if (!fs.existsSync(src)) continue;
            if (i === keep) fs.unlinkSync(src);
            else fs.renameSync(src, `${base}.${i + 1}${sfx}`);
          }
        }
        fs.renameSync(base, `${base}.1`);
      }
    } catch (e) {
      this.fail(e, 'rotate');
      return; // the next flush reopens NAME.log (the rotation is retried when it fills again)
    }
    this.rotations++;
    this.size = 0;
    this.firstMs = 0;
    this.ensureOpen();
    if (this.cfg.rotate.keep > 0 && this.cfg.rotate.compress) {
      try {
        this.compress(`${base}.1`);
      } catch (e) {
        this.fail(e, 'compress');
      }
    }
  }

  /** FILE → FILE.gz (through FILE.gz.tmp, fsynced), then FILE is removed. */
  private compress(file: string): void {
    const gz = zlib.gzipSync(fs.readFileSync(file));
    const tmp = `${file}.gz.tmp`;
    const fd = fs.openSync(tmp, 'w', 0o640);
    try {
      let off = 0;
      while (off < gz.length) off += fs.writeSync(fd, gz, off, gz.length - off);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, `${file}.gz`);
    fs.unlinkSync(file);
  }

  private fail(e: unknown, what: string): void {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    const msg = `${what} ${this.path}: ${code}`;
    if (this.failing !== msg) this.report(`syslogd: cannot ${msg}; lines are kept (up to ${PENDING_MAX >> 20} MiB) and written when it works again`);
    this.failing = msg;
    if (what === 'write' || what === 'fsync') {
      try {
        if (this.fd !== null) fs.closeSync(this.fd);
      } catch { /* ignore */ }
      this.fd = null;
    }
  }

  private cleared(): void {
    if (this.failing !== null) this.report(`syslogd: ${this.path} is written again`);
    this.failing = null;
  }
}
