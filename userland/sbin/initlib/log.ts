// init's and crond's logging: their own decisions go to the kernel's log device under their
// tag — init's through isokernel.promises.syslog, chained in order, so that a full log queue
// (syslogd down) never stops PID 1's event loop; crond's synchronously (`sync`), so that a
// record's time is its event's and comes before the job's output — and the programs they start get log streams for
// stdout and stderr (isokernel.openlog: each line a record). In a kernel without the log
// device, lines go to the caller's stderr as `TAG[PID]: MSG` and children inherit stdio.
import isk from 'isokernel';

/** syslog severities (RFC 5424). */
export const SEV = { emerg: 0, alert: 1, crit: 2, err: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;

interface LogApi {
  openlog?: (tag: string, opts?: { facility?: number; severity?: number; cloexec?: boolean }) => number;
  syslog?: (severity: number, msg: string, tag?: string) => void;
  promises: { syslog?: (severity: number, msg: string, tag?: string) => Promise<void> };
}
const api = isk as unknown as LogApi;

/** Whether the kernel has the log device (LOG's openlog/syslog in the isokernel module). */
export const hasLogDevice = typeof api.openlog === 'function' && typeof api.promises.syslog === 'function';

/** Messages waiting for room in the kernel's queue at most; beyond, they are counted and dropped. */
const MAX_PENDING = 1000;

export class Logger {
  readonly tag: string;
  /** The messages in flight, in order: a full log queue never blocks init's event loop. */
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private dropped = 0;

  /** Log synchronously (the record's time is the event's; a full queue makes the caller wait). */
  private readonly sync: boolean;

  constructor(tag: string, o: { sync?: boolean } = {}) {
    this.tag = tag;
    this.sync = o.sync ?? false;
  }

  log(severity: number, msg: string): void {
    if (!hasLogDevice) {
      try {
        isk.write(2, `${this.tag}[${isk.pid}]: ${msg}\n`);
      } catch { /* a log that cannot be written must not stop init */ }
      return;
    }
    if (this.sync && this.pending === 0) {
      try {
        api.syslog!(severity, msg, this.tag);
      } catch { /* as above */ }
      return;
    }
    if (this.pending >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    if (this.dropped > 0) {
      const n = this.dropped;
      this.dropped = 0;
      this.send(4, `${n} messages dropped: the log queue was full`);
    }
    this.send(severity, msg);
  }

  private send(severity: number, msg: string): void {
    this.pending++;
    this.chain = this.chain.then(() => api.promises.syslog!(severity, msg, this.tag)).catch(() => {}).finally(() => {
      this.pending--;
    });
  }

  /** Resolves when what was logged is in the kernel's queue (or after `ms`). */
  flush(ms = 1000): Promise<void> {
    return Promise.race([this.chain, new Promise<void>((r) => setTimeout(r, ms))]);
  }

  info(msg: string): void {
    this.log(SEV.info, msg);
  }
  notice(msg: string): void {
    this.log(SEV.notice, msg);
  }
  warn(msg: string): void {
    this.log(SEV.warning, msg);
  }
  error(msg: string): void {
    this.log(SEV.err, msg);
  }
}

/**
 * stdout and stderr for a child tagged `tag`: log streams (info and err) when the kernel
 * has them, else null (the child inherits the caller's). The caller passes them to spawn
 * and closes them after (`closeStreams`).
 */
export function openStreams(tag: string): { out: number; err: number } | null {
  if (!hasLogDevice) return null;
  const out = api.openlog!(tag, { severity: SEV.info, cloexec: true });
  try {
    return { out, err: api.openlog!(tag, { severity: SEV.err, cloexec: true }) };
  } catch (e) {
    isk.close(out);
    throw e;
  }
}

export function closeStreams(s: { out: number; err: number } | null): void {
  if (!s) return;
  for (const fd of [s.out, s.err]) {
    try {
      isk.close(fd);
    } catch { /* already closed */ }
  }
}

/** An exit status as words: "exited with status 3", "killed by SIGKILL". */
export function describeExit(w: { code: number | null; signal: string | null }): string {
  return w.signal ? `killed by ${w.signal}` : `exited with status ${w.code}`;
}
