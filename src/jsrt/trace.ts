// The `isokernel` module's tracing (the calls are syscall/isk-trace.ts; docs/abi.md,
// "Tracing"): traceAttach(pid, opts) → a descriptor of trace records (pid 0 with
// nextChild: the caller's next child, traced from its start), traceDetach(fd, pid?).
// strace (userland/sbin/lib/strace/) reads and decodes the records.
import { rethrow } from './errors.ts';
import * as sys from './sys.ts';

export interface TraceOptions {
  /** Trace the children of traced processes from their start (strace -f). */
  follow?: boolean;
  /** pid 0: trace the caller's next child from its start (strace PROGRAM). */
  nextChild?: boolean;
  /** The descriptor is not inherited by children (default true). */
  cloexec?: boolean;
  /** Bytes of each buffer copied into a record (strace -s; default 32). */
  strsize?: number;
  /** Records carry times (strace -T, -c); else their times are 0 and cost nothing. */
  times?: boolean;
  /** Count only (strace -c): no call records; the kernel counts and sends COUNTS records. */
  summary?: boolean;
}

export const traceApi = {
  traceAttach(pid: number, o: TraceOptions = {}): number {
    const flags = (o.follow ? 1 : 0) | (o.nextChild ? 2 : 0) | (o.cloexec === false ? 0 : 4) | (o.times ? 8 : 0) | (o.summary ? 16 : 0);
    try {
      return sys.traceAttach(pid, flags, o.strsize ?? 0);
    } catch (e) {
      return rethrow(e, 'trace_attach');
    }
  },
  /**
   * Records only the calls named (in any module) from now on (an empty list: none); null:
   * all. The others cost the traced processes nothing but a check. EINVAL for an unknown name.
   */
  traceFilter(fd: number, names: readonly string[] | null): void {
    try {
      sys.traceFilter(fd, names);
    } catch (e) {
      rethrow(e, 'trace_filter');
    }
  },
  /** Stops tracing `pid` (0, the default: every process the descriptor traces). */
  traceDetach(fd: number, pid = 0): void {
    try {
      sys.traceDetach(fd, pid);
    } catch (e) {
      rethrow(e, 'trace_detach');
    }
  },
};
