// Log descriptors: a log stream (write end: bytes in, one record per line out) and the log
// reader (syslogd's end: framed records out). See log/queue.ts for the queue and framing.
//
// A stream splits what is written into lines. A line without its newline yet is kept in the
// description (one partial line per description, as a pipe keeps bytes) until the newline
// comes, it reaches LINE_MAX bytes (then it is cut there and the rest starts a new record),
// or the description closes (the partial line becomes a record). A record carries the pid of
// the process whose write began its line. Writers sharing a description (a service and its
// children on the same stdout) interleave partial lines as they would in a pipe; whole lines
// written in one call stay whole.
//
// A write moves lines into the queue until it is full and returns the bytes taken (the
// syscall layer waits for room for the rest: completesWrites); a write to a full queue takes
// nothing (WOULD_BLOCK, or EAGAIN for a non-blocking description). So a writer's lines keep
// their order, and nothing is dropped.
import { E, FILETYPE } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import { OpenFile, WOULD_BLOCK } from '../fd/open-file.ts';
import { streamStat } from '../fd/stdio.ts';
import type { Process } from '../proc/process.ts';
import type { Stat } from '../vfs/vnode.ts';
import { LINE_MAX, LOG_FACILITY_MAX, LOG_SEVERITY_MAX, type LogQueue, TAG_MAX } from './queue.ts';

const NL = 10;

/**
 * Checks a tag: 1..TAG_MAX bytes of printable ASCII without spaces (it becomes a syslog
 * APP-NAME and a word in log lines). Errors: EINVAL.
 */
export function checkTag(tag: string): string {
  if (tag.length === 0 || tag.length > TAG_MAX) fail(E.INVAL);
  for (let i = 0; i < tag.length; i++) {
    const c = tag.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) fail(E.INVAL);
  }
  return tag;
}

/** Checks a facility (0..23, the code unshifted) and severity (0..7). Errors: EINVAL. */
export function checkPriority(facility: number, severity: number): void {
  if (!Number.isInteger(facility) || facility < 0 || facility > LOG_FACILITY_MAX) fail(E.INVAL);
  if (!Number.isInteger(severity) || severity < 0 || severity > LOG_SEVERITY_MAX) fail(E.INVAL);
}

export class LogStream extends OpenFile {
  readonly filetype = FILETYPE.UNKNOWN;
  readonly queue: LogQueue;
  readonly tag: string;
  readonly facility: number;
  readonly severity: number;
  /** The partial line: chunks and their total length, and the pid that began it. */
  private partial: Uint8Array[] = [];
  private partialLen = 0;
  private partialPid = 0;
  /** The last record was a line cut at LINE_MAX: a newline right after it ends that line, not an empty one. */
  private cut = false;

  constructor(queue: LogQueue, tag: string, facility: number, severity: number, flags = 0) {
    super(false, true, flags);
    this.queue = queue;
    this.tag = checkTag(tag);
    checkPriority(facility, severity);
    this.facility = facility;
    this.severity = severity;
  }

  override get completesWrites(): boolean {
    return true;
  }

  override write(src: Uint8Array, writer?: Process): number {
    if (src.length === 0) return 0;
    const q = this.queue;
    if (q.full && !q.spill()) return WOULD_BLOCK;
    const pid = writer?.pid ?? 0;
    let i = 0;
    while (i < src.length && !q.full) {
      const room = LINE_MAX - this.partialLen;
      // A newline within the room left for this line (not further: a long write without
      // newlines is scanned once, not once per LINE_MAX).
      const k = src.subarray(i, Math.min(src.length, i + room + 1)).indexOf(NL);
      const nl = k === -1 ? -1 : i + k;
      if (nl === -1) {
        const take = Math.min(src.length - i, room);
        this.append(src.subarray(i, i + take), pid);
        i += take;
        if (this.partialLen === LINE_MAX) {
          this.flush();
          this.cut = true;
        }
        continue;
      }
      if (this.partialLen === 0 && this.cut && nl === i) {
        this.cut = false;
        i++;
        continue;
      }
      this.cut = false;
      if (this.partialLen === 0) q.push(this.tag, pid, this.facility, this.severity, src.slice(i, nl));
      else {
        this.append(src.subarray(i, nl), pid);
        this.flush();
      }
      i = nl + 1;
    }
    return i;
  }

  private append(b: Uint8Array, pid: number): void {
    if (b.length === 0) return;
    this.cut = false;
    if (this.partialLen === 0) this.partialPid = pid;
    this.partial.push(b.slice());
    this.partialLen += b.length;
  }

  /** The partial line becomes a record (even an empty one when it ended a line). */
  private flush(): void {
    let msg: Uint8Array;
    if (this.partial.length === 1) msg = this.partial[0]!;
    else {
      msg = new Uint8Array(this.partialLen);
      let o = 0;
      for (const c of this.partial) {
        msg.set(c, o);
        o += c.length;
      }
    }
    this.queue.push(this.tag, this.partialPid, this.facility, this.severity, msg);
    this.partial = [];
    this.partialLen = 0;
  }

  override waitWritable(): Promise<void> {
    return this.queue.waitRoom();
  }
  override writeReady(): boolean {
    return !this.queue.full || this.queue.spillDue();
  }
  override stat(): Stat {
    return streamStat(this.filetype);
  }
  /** The last partial line is logged, even past the bound (a close cannot wait). */
  override close(): void {
    if (this.partialLen > 0) this.flush();
  }
}

/** syslogd's end: reads return framed records (log/queue.ts). One at a time per kernel. */
export class LogReader extends OpenFile {
  readonly filetype = FILETYPE.UNKNOWN;
  readonly queue: LogQueue;
  private readonly token = {};

  /** Errors: EBUSY when another reader is attached. */
  constructor(queue: LogQueue, flags = 0) {
    super(true, false, flags);
    this.queue = queue;
    if (!queue.attach(this.token)) fail(E.BUSY);
  }

  override read(dst: Uint8Array): number {
    if (dst.length === 0) return 0;
    const n = this.queue.readInto(dst);
    if (n === 0) return WOULD_BLOCK;
    if (n < 0) fail(E.INVAL);
    return n;
  }
  override waitReadable(): Promise<void> {
    return this.queue.readable.wait();
  }
  override readReady(): number {
    const n = this.queue.nextFramedSize();
    return n > 0 ? n : -1;
  }
  override stat(): Stat {
    return streamStat(this.filetype, this.queue.length);
  }
  override close(): void {
    this.queue.detach(this.token);
  }
}
