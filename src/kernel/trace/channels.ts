// The kernel never prints (STYLE.md habit 7): it publishes on named diagnostics channels,
// and whoever cares (the CLI, syslogd, tests, strace) subscribes.
import dc from 'node:diagnostics_channel';

/** { pid, ppid, argv, program } when a process is created. */
export const procSpawn = dc.channel('isokernel:proc:spawn');
/** { pid, status } when a process ends. */
export const procExit = dc.channel('isokernel:proc:exit');
/** A FaultRecord, when a trap kills a process. */
export const procFault = dc.channel('isokernel:proc:fault');
/** { pid, error } when a syscall hit a kernel bug; the process was killed with SIGSYS. */
export const kernelBug = dc.channel('isokernel:kernel:bug');
/**
 * { pid, program, signal, path, bytes, truncated } or { pid, program, signal, path, error }
 * when a process's core file was written, or could not be (proc/core.ts).
 */
export const procCore = dc.channel('isokernel:proc:core');
/**
 * { count, total } when log records went to the host's stderr because no syslogd read the
 * queue for too long (log/queue.ts, spill).
 */
export const logSpill = dc.channel('isokernel:log:spill');
