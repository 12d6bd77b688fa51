// The `isokernel` module's logging (docs/logging.md; the calls are syscall/isk-log.ts):
// openlog(tag, opts) → a log stream descriptor, syslog(severity, msg, tag?) → one message
// with a priority, and syslogd's side: logReader() → the queue's read end, readLog(fd) →
// parsed records. Severities and facilities are numbers or their syslog names.
import { type LogRecord, parseRecords, RECORD_MAX } from '../kernel/log/format.ts';
import { rethrow } from './errors.ts';
import * as sys from './sys.ts';

export type { LogRecord };

/** RFC 5424 severities. */
export const SEVERITIES: Readonly<Record<string, number>> = Object.freeze({
  emerg: 0, alert: 1, crit: 2, err: 3, warning: 4, notice: 5, info: 6, debug: 7,
  panic: 0, error: 3, warn: 4,
});
/** RFC 5424 facilities (the code, not shifted). */
export const FACILITIES: Readonly<Record<string, number>> = Object.freeze({
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9, authpriv: 10,
  ftp: 11, ntp: 12, security: 13, console: 14, local0: 16, local1: 17, local2: 18, local3: 19, local4: 20,
  local5: 21, local6: 22, local7: 23,
});

function level(v: number | string | undefined, table: Readonly<Record<string, number>>, dflt: number, what: string): number {
  if (v === undefined) return dflt;
  if (typeof v === 'number') return v;
  const n = Object.hasOwn(table, v.toLowerCase()) ? table[v.toLowerCase()] : undefined;
  if (n === undefined) {
    throw Object.assign(new TypeError(`unknown syslog ${what} '${v}' (one of: ${Object.keys(table).join(' ')})`), { code: 'ERR_INVALID_ARG_VALUE' });
  }
  return n;
}

export const severityOf = (v: number | string | undefined, dflt = 6): number => level(v, SEVERITIES, dflt, 'severity');
export const facilityOf = (v: number | string | undefined, dflt = 1): number => level(v, FACILITIES, dflt, 'facility');

/** The tag a process logs under when it names none: its script's basename, as syslog(3) uses argv[0]. */
export function defaultTag(): string {
  const a = process.argv[1] ?? process.argv[0] ?? 'node';
  const base = a.slice(a.lastIndexOf('/') + 1).replace(/[^\x21-\x7e]/g, '_').slice(0, 64);
  return base || 'node';
}

export interface OpenlogOptions {
  facility?: number | string;
  severity?: number | string;
  cloexec?: boolean;
  nonblock?: boolean;
}

export interface SyslogOptions {
  facility?: number | string;
}

const enc = new TextEncoder();
const bytesOf = (m: string | Uint8Array): Uint8Array => (typeof m === 'string' ? enc.encode(m) : m);

export const logApi = {
  /** A log stream: each line written to the descriptor becomes a record tagged `tag`. */
  openlog(tag: string, o: OpenlogOptions = {}): number {
    const flags = (o.cloexec ? 1 : 0) | (o.nonblock ? 4 : 0);
    try {
      return sys.logOpen(tag, facilityOf(o.facility), severityOf(o.severity), flags);
    } catch (e) {
      return rethrow(e, 'log_open');
    }
  },
  /** Logs `msg` (one record per line) with a severity; waits while the kernel's queue is full. */
  syslog(severity: number | string, msg: string | Uint8Array, tag?: string, o: SyslogOptions = {}): void {
    try {
      sys.logWrite(tag ?? defaultTag(), facilityOf(o.facility), severityOf(severity), bytesOf(msg));
    } catch (e) {
      rethrow(e, 'log_write');
    }
  },
  /** The kernel log queue's read end (root only, one reader at a time): syslogd's. */
  logReader(o: { nonblock?: boolean; cloexec?: boolean } = {}): number {
    try {
      return sys.logReader((o.cloexec ? 1 : 0) | (o.nonblock ? 4 : 0));
    } catch (e) {
      return rethrow(e, 'log_reader');
    }
  },
  /** Reads the records waiting (at least one: waits unless the reader is non-blocking → EAGAIN). */
  readLog(fd: number, maxBytes = 256 * 1024): LogRecord[] {
    const buf = new Uint8Array(Math.max(maxBytes, RECORD_MAX));
    let n: number;
    try {
      n = sys.fdRead(fd, buf);
    } catch (e) {
      return rethrow(e, 'read');
    }
    return parseRecords(buf.subarray(0, n));
  },
};

export const logPromises = {
  async syslog(severity: number | string, msg: string | Uint8Array, tag?: string, o: SyslogOptions = {}): Promise<void> {
    try {
      await sys.logWriteAsync(tag ?? defaultTag(), facilityOf(o.facility), severityOf(severity), bytesOf(msg));
    } catch (e) {
      rethrow(e, 'log_write');
    }
  },
  /** Waits for records with the event loop running; [] at end of file (never, for the log reader). */
  async readLog(fd: number, maxBytes = 256 * 1024): Promise<LogRecord[]> {
    let b: Uint8Array;
    try {
      b = await sys.fdReadAsync(fd, Math.max(maxBytes, RECORD_MAX));
    } catch (e) {
      return rethrow(e, 'read');
    }
    return parseRecords(b);
  },
};
