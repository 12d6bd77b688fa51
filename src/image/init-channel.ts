// The kernel's line to init (PID 1): requests as JSON lines into init's fd 3, replies as
// JSON lines from its fd 4 (docs/services.md, "Control"). `spawnInit` starts init with the
// two pipe ends as those descriptors; `InitChannel.request` sends one request and resolves
// with the reply carrying its id. Used by the control socket's `service` op (control.ts).
import type { Kernel, StdioSpec } from '../kernel/kernel.ts';
import type { Process } from '../kernel/proc/process.ts';
import { closeEnd, drain, hostReadPipe, hostWritePipe, writeAll } from './host-pipe.ts';
import type { PipeReader, PipeWriter } from '../kernel/fd/pipe.ts';

/** A service's state in init (userland/sbin/initlib/supervisor.ts). */
export type ServiceState = 'pending' | 'starting' | 'running' | 'stopping' | 'stopped' | 'backoff' | 'failed';

/** A service as init's `service` requests answer (`services`), and as `isokernel service --json` prints it. */
export interface ServiceStatus {
  name: string;
  state: ServiceState;
  pid: number | null;
  restarts: number;
  /** When the service entered its state (ms since the epoch). */
  since: number;
  lastExit: { code: number | null; signal: string | null } | null;
  /** Why it is failed or stopped, when there is more to say. */
  reason: string | null;
  /** init's own helpers (syslogd, crond), not manifest services. */
  system: boolean;
}

/** What init's requests answer; a `service` request's `services` are ServiceStatus. */
export interface InitReply {
  id: number;
  ok: boolean;
  error?: string;
  services?: unknown[];
  [k: string]: unknown;
}

export class InitChannel {
  /** init's fd 3 (it reads requests) and fd 4 (it writes replies). */
  readonly guestFds: [PipeReader, PipeWriter];
  private readonly req: PipeWriter;
  private readonly rep: PipeReader;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: InitReply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private closed = false;

  constructor() {
    const req = hostWritePipe();
    const rep = hostReadPipe();
    this.req = req.host;
    this.rep = rep.host;
    this.guestFds = [req.guest, rep.guest];
    let buf = '';
    const dec = new TextDecoder();
    void drain(this.rep, (b) => {
      buf += dec.decode(b, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        this.answer(line);
      }
    }).then(() => this.gone('init closed its control descriptor'));
  }

  private answer(line: string): void {
    let r: InitReply;
    try {
      r = JSON.parse(line) as InitReply;
    } catch {
      return; // not a reply: ignored
    }
    const p = typeof r?.id === 'number' ? this.pending.get(r.id) : undefined;
    if (!p) return;
    this.pending.delete(r.id);
    clearTimeout(p.timer);
    p.resolve(r);
  }

  private gone(why: string): void {
    this.closed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(why));
      this.pending.delete(id);
    }
  }

  /**
   * Sends `msg` (an `id` is added) and resolves with init's reply. Rejects when init is gone
   * or does not answer within `timeoutMs`.
   */
  request(msg: Record<string, unknown>, timeoutMs = 120_000): Promise<InitReply> {
    if (this.closed) return Promise.reject(new Error('init is not running'));
    const id = this.nextId++;
    return new Promise<InitReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`init did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      writeAll(this.req, new TextEncoder().encode(JSON.stringify({ ...msg, id }) + '\n')).catch(() => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new Error('init is not reading requests'));
      });
    });
  }

  /** Closes the host's ends (init sees end of file on fd 3). */
  close(): void {
    closeEnd(this.req);
    closeEnd(this.rep);
    this.gone('control channel closed');
  }
}

export interface SpawnInitOptions {
  /** init's path in the kernel's namespace; default /sbin/init.mjs (the bundle), else /sbin/init.ts. */
  path?: string;
  /** Extra arguments (argv[1] is the manifest path, default /etc/isokernel/manifest.json). */
  args?: string[];
  /** init's fds 0-2; default null, inherit, inherit. */
  stdio?: [StdioSpec, StdioSpec, StdioSpec];
  env?: Record<string, string>;
}

/**
 * Spawns init as the kernel's first process (it must get PID 1 to inherit orphans: spawn it
 * before anything else), with its control channel on fds 3 and 4.
 * Errors: SysError from the program lookup (ENOENT...), KernelError from spawn.
 */
export async function spawnInit(kernel: Kernel, o: SpawnInitOptions = {}): Promise<{ process: Process; channel: InitChannel }> {
  const argv = ['init', ...(o.args ?? [])];
  let target;
  if (o.path !== undefined) target = await kernel.findProgram(o.path, argv);
  else {
    try {
      target = await kernel.findProgram('/sbin/init.mjs', argv);
    } catch {
      target = await kernel.findProgram('/sbin/init.ts', argv);
    }
  }
  const channel = new InitChannel();
  let p: Process;
  try {
    p = kernel.spawn({
      program: target.program, args: target.argv, env: { PATH: '/bin:/usr/bin:/sbin', HOME: '/', ...o.env },
      stdio: [...(o.stdio ?? ['null', 'inherit', 'inherit']), ...channel.guestFds], uid: 0, gid: 0,
    });
  } catch (e) {
    channel.close();
    for (const f of channel.guestFds) f.close();
    throw e;
  }
  void p.exited.then(() => channel.close());
  return { process: p, channel };
}
