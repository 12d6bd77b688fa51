// The isokernel module, logging (docs/abi.md, "Logging"; docs/logging.md): log_open gives a
// log stream descriptor (lines in, records out), log_write logs one message with a
// priority, log_reader gives syslogd the queue's read end. Argument checking here; the
// device is log/stream.ts and log/queue.ts.
import { E, FDFLAGS, RIGHTS, RIGHTS_STREAM } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { OpenFile } from '../fd/open-file.ts';
import type { Kernel } from '../kernel.ts';
import { LINE_MAX } from '../log/queue.ts';
import { checkPriority, checkTag, LogReader, LogStream } from '../log/stream.ts';
import type { Process } from '../proc/process.ts';
import type { SyscallTable } from './dispatch.ts';

const CLOEXEC = 1;
/** The longest message one log_write takes (its lines may overflow a full queue by this much). */
export const LOG_WRITE_MAX = 8 * LINE_MAX;

function install(p: Process, make: () => OpenFile, rights: number, flags: number, out: number): number {
  p.mem!.check(out, 4);
  if (flags & ~(CLOEXEC | FDFLAGS.NONBLOCK)) fail(E.INVAL);
  if (!p.fds.hasRoom()) fail(E.MFILE);
  const file = make();
  let fd: number;
  try {
    fd = p.fds.install(file, rights, 0, null, 0, 0, (flags & CLOEXEC) !== 0);
  } catch (e) {
    file.close();
    throw e;
  }
  p.mem!.setU32(out, fd);
  return 0;
}

/** Splits a message into its lines (a trailing newline ends the last), each at most LINE_MAX bytes. */
export function messageLines(msg: Uint8Array): Uint8Array[] {
  let end = msg.length;
  if (end > 0 && msg[end - 1] === 10) end--;
  const out: Uint8Array[] = [];
  let i = 0;
  for (;;) {
    let nl = msg.indexOf(10, i);
    if (nl === -1 || nl > end) nl = end;
    for (let s = i; ; s += LINE_MAX) {
      out.push(msg.slice(s, Math.min(s + LINE_MAX, nl)));
      if (s + LINE_MAX >= nl) break;
    }
    if (nl >= end) break;
    i = nl + 1;
  }
  return out;
}

export function iskLogSyscalls(k: Kernel): SyscallTable {
  return {
    /**
     * log_open(tag, tag_len, facility, severity, flags, out_fd): a log stream descriptor.
     * Errors: EINVAL (tag, facility, severity or flags), EILSEQ, EFAULT, EMFILE.
     */
    log_open: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'],
      handler: (p: Process, tagPtr: number, tagLen: number, facility: number, severity: number, flags: number, out: number) => {
        const tag = checkTag(p.mem!.string(tagPtr, tagLen));
        checkPriority(facility, severity);
        return install(p, () => new LogStream(k.log, tag, facility, severity, flags & FDFLAGS.NONBLOCK),
          RIGHTS_STREAM & ~RIGHTS.FD_READ, flags, out);
      },
    },
    /**
     * log_write(tag, tag_len, facility, severity, msg, msg_len): logs a message, one record
     * per line; waits while the queue is full. Errors: EINVAL, EILSEQ, EFAULT, EMSGSIZE
     * (over LOG_WRITE_MAX bytes).
     */
    log_write: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, tagPtr: number, tagLen: number, facility: number, severity: number, msgPtr: number, msgLen: number) => {
        const m = p.mem!;
        const tag = checkTag(m.string(tagPtr, tagLen));
        checkPriority(facility, severity);
        if (msgLen >>> 0 > LOG_WRITE_MAX) fail(E.MSGSIZE);
        const msg = m.bytes(msgPtr, msgLen >>> 0);
        const q = k.log;
        if (q.full && !q.spill()) return p.block(q.waitRoom());
        for (const line of messageLines(msg)) q.push(tag, p.pid, facility, severity, line);
        p.acct.bytesWritten += msg.length;
        return 0;
      },
    },
    /**
     * log_reader(flags, out_fd): the log queue's read end (root only; one at a time). Reads
     * return framed records (docs/abi.md). Errors: EPERM (not root), EBUSY, EINVAL, EMFILE.
     */
    log_reader: {
      params: ['i32', 'i32'],
      handler: (p: Process, flags: number, out: number) => {
        if (p.uid !== 0) fail(E.PERM);
        return install(p, () => new LogReader(k.log, flags & FDFLAGS.NONBLOCK), RIGHTS_STREAM & ~RIGHTS.FD_WRITE, flags, out);
      },
    },
  };
}
