// The access log in Apache's combined format:
//   %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"
// Strings from the request are escaped as Apache does (a quote, a backslash and bytes
// outside printable ASCII as \" \\ \xHH), so a line can always be split back into fields.
// Lines are buffered and written every 200 ms or 64 KiB (a write is a system call); the file
// is reopened on SIGHUP, after a rotation.
import fs from 'node:fs';

export interface LogEntry {
  remoteAddr: string;
  /** ms since the epoch: when the request came in. */
  time: number;
  /** The request line as received ('' if none was read). */
  line: string;
  status: number;
  /** Body bytes sent. */
  bytes: number;
  referer?: string;
  userAgent?: string;
  user?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** `[10/Oct/2000:13:55:36 +0000]` (UTC). */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  return `[${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000]`;
}

export function escapeLog(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\xff"\\]/g, (c) => {
    if (c === '"') return '\\"';
    if (c === '\\') return '\\\\';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  }).replace(/[^\x00-\xff]/gu, (c) => [...Buffer.from(c)].map((b) => `\\x${b.toString(16)}`).join(''));
}

export function combinedLine(e: LogEntry): string {
  const q = (s: string | undefined): string => (s === undefined ? '-' : escapeLog(s));
  return `${e.remoteAddr} - ${e.user ? escapeLog(e.user) : '-'} ${clfTime(e.time)} "${escapeLog(e.line)}" ${e.status} ${e.bytes > 0 ? e.bytes : '-'} "${q(e.referer)}" "${q(e.userAgent)}"\n`;
}

export class AccessLog {
  private fd: number | null = null;
  private buf: string[] = [];
  private size = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly path: string;
  /** Called with an error message when the log cannot be written (the server goes on). */
  private readonly onError: (msg: string) => void;

  constructor(path: string, onError: (msg: string) => void) {
    this.path = path;
    this.onError = onError;
    this.open();
  }

  private open(): void {
    try {
      this.fd = fs.openSync(this.path, 'a', 0o640);
    } catch (e) {
      this.fd = null;
      this.onError(`access log ${this.path}: ${(e as Error).message}`);
    }
  }

  write(e: LogEntry): void {
    const l = combinedLine(e);
    this.buf.push(l);
    this.size += l.length;
    if (this.size >= 65536) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), 200);
      this.timer.unref?.();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.buf.length) return;
    const data = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (this.fd === null) return;
    try {
      fs.writeSync(this.fd, data);
    } catch (e) {
      this.onError(`access log ${this.path}: ${(e as Error).message}`);
    }
  }

  /** After a rotation: flush to the old file, open the path again. */
  reopen(): void {
    this.flush();
    this.close();
    this.open();
  }

  close(): void {
    this.flush();
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already gone
      }
    }
    this.fd = null;
  }
}
