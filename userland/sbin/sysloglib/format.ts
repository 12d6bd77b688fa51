// syslogd's formats (docs/logging.md, "Formats"): the line written to /var/log/NAME.log,
// the RFC 5424 message sent to a remote syslog, and RFC 6587 octet-counting framing for TCP.
// Pure functions over a record, so they are unit-tested on the host.

import type { LogRecord } from '../../../src/kernel/log/format.ts';

/** A record as the kernel's log reader gives it (its sequence number not needed here). */
export type LogRec = Omit<LogRecord, 'seq'> & { seq?: number };

const dec = new TextDecoder(); // invalid UTF-8 becomes U+FFFD

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

let cachedSec = -1;
let cachedPrefix = '';

/** RFC 3339 in UTC with microseconds: 2026-12-03T03:41:48.123456Z. (The date part is cached per second.) */
export function rfc3339(timeNs: bigint): string {
  const us = Number(timeNs / 1000n); // < 2^53 until the year 2255
  const frac = us % 1_000_000;
  const sec = (us - frac) / 1_000_000;
  if (sec !== cachedSec) {
    const d = new Date(sec * 1000);
    cachedPrefix = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:` +
      `${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.`;
    cachedSec = sec;
  }
  return `${cachedPrefix}${pad(frac, 6)}Z`;
}

/** Parses rfc3339()'s form (and any Date-parsable RFC 3339 time) to ms since the epoch; NaN if it is not one. */
export function parseTime(s: string): number {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s)) return NaN;
  return Date.parse(s);
}

/**
 * The message as text on one line: control characters (but tab) and DEL become `#ooo`
 * (octal, as rsyslog writes them), so a line in the file is always one record.
 */
export function messageText(msg: Uint8Array): string {
  const s = dec.decode(msg);
  return /[\x00-\x08\x0a-\x1f\x7f]/.test(s)
    ? s.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) => '#' + c.charCodeAt(0).toString(8).padStart(3, '0'))
    : s;
}

/** A line of /var/log/NAME.log: `TIMESTAMP HOST TAG[PID]: MSG` and a newline. */
export function formatLine(r: LogRec): string {
  return `${rfc3339(r.timeNs)} ${r.host} ${r.tag}[${r.pid}]: ${messageText(r.msg)}\n`;
}

export interface ParsedLine {
  time: string;
  host: string;
  tag: string;
  pid: number;
  msg: string;
}

const LINE_RE = /^(\S+) (\S+) (\S+)\[(\d+)\]: (.*)$/;

/** Parses a formatLine() line (without its newline); null if it is not one. */
export function parseLine(line: string): ParsedLine | null {
  const m = LINE_RE.exec(line);
  if (!m) return null;
  return { time: m[1]!, host: m[2]!, tag: m[3]!, pid: Number(m[4]), msg: m[5]! };
}

/** Printable US-ASCII without spaces, at most `max` characters, or NILVALUE. */
function printUsAscii(s: string, max: number): string {
  const t = s.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return t === '' ? '-' : t;
}

export interface Rfc5424Options {
  /** The facility for records that have none of their own (those with the default, user). */
  facility?: number;
}

/**
 * An RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID - - MSG`. PRI is
 * facility × 8 + severity; a record with the default facility (1, user) takes
 * `o.facility` when given. The MSG is the record's bytes as they are (MSG-ANY; no BOM).
 */
export function rfc5424(r: LogRec, o: Rfc5424Options = {}): Uint8Array {
  const facility = r.facility === 1 && o.facility !== undefined ? o.facility : r.facility;
  const pri = facility * 8 + r.severity;
  const head = `<${pri}>1 ${rfc3339(r.timeNs)} ${printUsAscii(r.host, 255)} ${printUsAscii(r.tag, 48)} ` +
    `${r.pid > 0 ? String(r.pid) : '-'} - - `;
  const h = Buffer.from(head, 'latin1');
  const out = new Uint8Array(h.length + r.msg.length);
  out.set(h);
  out.set(r.msg, h.length);
  return out;
}

/** RFC 6587 octet counting: `MSG-LEN SP SYSLOG-MSG`. */
export function octetFrame(msg: Uint8Array): Uint8Array {
  const len = Buffer.from(`${msg.length} `, 'latin1');
  const out = new Uint8Array(len.length + msg.length);
  out.set(len);
  out.set(msg, len.length);
  return out;
}

/**
 * Splits an octet-counted stream into messages (for tests and receivers): returns the
 * complete messages and the bytes left over. Throws on a malformed length.
 */
export function octetUnframe(buf: Uint8Array): { messages: Uint8Array[]; rest: Uint8Array } {
  const messages: Uint8Array[] = [];
  let off = 0;
  for (;;) {
    const sp = buf.indexOf(0x20, off);
    if (sp === -1) {
      if (buf.length - off > 10) throw new Error('bad octet count');
      break;
    }
    const txt = Buffer.from(buf.subarray(off, sp)).toString('latin1');
    if (!/^[1-9]\d{0,8}$/.test(txt)) throw new Error(`bad octet count '${txt}'`);
    const n = Number(txt);
    if (sp + 1 + n > buf.length) break;
    messages.push(buf.slice(sp + 1, sp + 1 + n));
    off = sp + 1 + n;
  }
  return { messages, rest: buf.slice(off) };
}

/** Parses an RFC 5424 header (for tests and `isokernel logs` of forwarded copies). */
export function parseRfc5424(m: Uint8Array): { pri: number; version: number; time: string; host: string; app: string; procid: string; msgid: string; sd: string; msg: string } | null {
  const s = Buffer.from(m).toString('utf8');
  const re = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\])(?: (.*))?$/s;
  const x = re.exec(s);
  if (!x) return null;
  return { pri: Number(x[1]), version: Number(x[2]), time: x[3]!, host: x[4]!, app: x[5]!, procid: x[6]!, msgid: x[7]!, sd: x[8]!, msg: x[9] ?? '' };
}
