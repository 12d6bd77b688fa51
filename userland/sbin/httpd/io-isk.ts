// Transport and Spawner on the `isokernel` module directly (inside the kernel only): fewer
// system calls per request than the Node-compatible layers above them, which matters when
// a call is a round trip between threads (docs/jsproc.md).
//
// A CGI process: its stdout is a pipe (close-on-exec on our side), stdin a pipe only when
// the request has a body (else /dev/null, opened by the spawn itself), stderr the log
// descriptor; it leads a session of its own (setsid), so a timeout kills its whole group.
// The pipes are made by the spawn itself (spawnPiped: the kernel's PIPE file action), which
// gives us our ends only — no pipe() before it and no close() of the child's ends after it.
// The calls that wait (read, write, wait, spawn) use the promise forms, so the event loop
// serves other connections meanwhile; our ends are closed with closeLater, which sends the
// close and does not wait for it (a synchronous close would hold the isolate for a round
// trip, behind whatever the kernel thread is doing).
import { createRequire } from 'node:module';
import type { ListenAddr } from './config.ts';
import type { CgiProcess, Conn, ExitStatus, Listener, SpawnRequest, Spawner, Transport } from './io.ts';

type Isk = typeof import('../../../src/jsrt/isokernel.ts').isokernel;

const require = createRequire(import.meta.url);
const isk = require('isokernel') as Isk;

const EMPTY = new Uint8Array(0);

export function iskSpawner(): Spawner {
  return {
    async spawn(r: SpawnRequest): Promise<CgiProcess> {
      // The cwd only when it differs from ours: a spawn with a cwd makes the kernel work out
      // its path (a readdir per level on hostfs), a tenth of a CGI request's cost.
      const { pid, pipes } = await isk.promises.spawnPiped(r.file, r.argv, {
        env: r.env, setsid: true, ...(r.cwd !== process.cwd() ? { cwd: r.cwd } : {}),
        fds: r.stderrFd !== null ? { 0: r.stdin ? 'pipe' : 'null', 1: 'pipe', 2: r.stderrFd } : { 0: r.stdin ? 'pipe' : 'null', 1: 'pipe' },
      });
      const outR = pipes[1]!;
      const inW = r.stdin ? pipes[0]! : -1;
      // Reads tell whether the pipe is at its end already (readEof): a script that has exited by
      // then (most have, by the first read) costs no read that gives nothing.
      let first: Promise<{ data: Uint8Array; eof: boolean }> | null = isk.promises.readEof(outR, 65536);
      let reaped: ExitStatus | null = null;
      const exited = isk.promises.wait(pid).then((w): ExitStatus => {
        reaped = w ? { code: w.code, signal: w.signal } : { code: null, signal: null };
        return reaped;
      });
      // Our end of stdout: closed at end of stream or on release(); never while a read is
      // pending on it (the number could be reused under that read).
      let closed = false;
      let fdOpen = true;
      let reading = false;
      const closeOut = (): void => {
        if (fdOpen && !reading) {
          fdOpen = false;
          isk.closeLater(outR); // nothing waits for it (docs/jsproc.md, "The channel's cost")
        }
      };
      return {
        pid,
        async feed(body) {
          if (inW < 0) return;
          try {
            if (body && body.length) await isk.promises.write(inW, body);
          } catch {
            // EPIPE: the script did not read its body
          } finally {
            isk.closeLater(inW);
          }
        },
        async read() {
          if (closed) return EMPTY;
          reading = true;
          let r: { data: Uint8Array; eof: boolean };
          try {
            const p = first ?? isk.promises.readEof(outR, 65536);
            first = null;
            r = await p;
          } finally {
            reading = false;
          }
          const b = r.data;
          if (!b.length) closed = true;
          if (closed) {
            closeOut();
            return EMPTY;
          }
          if (r.eof) {
            closed = true; // the next read() gives the end without a call
            closeOut();
          }
          return b;
        },
        exited,
        release() {
          closed = true;
          if (first) {
            // The prefetched read is still out: close once it is back.
            const p = first;
            first = null;
            reading = true;
            void p.catch(() => EMPTY).finally(() => {
              reading = false;
              closeOut();
            });
            return;
          }
          closeOut();
        },
        killGroup() {
          if (reaped) return;
          try {
            isk.kill(-pid, 'SIGKILL');
          } catch {
            // gone already
          }
        },
      };
    },
  };
}

// ---- sockets (contracts.md, "Sockets JS API"; docs/jsproc.md) ----

type SockAddr = { family?: string; address?: string; port?: number; path?: string };

/** The socket calls httpd uses, as NET's module gives them (checked at start: a clear error if missing). */
interface IskSockets {
  socket(domain: 'inet' | 'inet6' | 'unix', type: 'stream' | 'dgram', o?: { cloexec?: boolean }): number;
  bind(fd: number, addr: SockAddr): void;
  listen(fd: number, backlog: number): void;
  shutdown(fd: number, how: 'read' | 'write' | 'both'): void;
  getsockname(fd: number): SockAddr | null;
  setsockopt?(fd: number, name: string, value: number | boolean): void;
  promises: {
    accept(fd: number, o?: { cloexec?: boolean }): Promise<{ fd: number; addr: SockAddr | null }>;
    connect(fd: number, addr: SockAddr): Promise<void>;
  };
}

function sockets(): IskSockets {
  const k = isk as unknown as Partial<IskSockets> & { promises?: Partial<IskSockets['promises']> };
  const missing = ['socket', 'bind', 'listen', 'shutdown', 'getsockname'].filter((n) => typeof (k as Record<string, unknown>)[n] !== 'function');
  if (typeof k.promises?.accept !== 'function') missing.push('promises.accept');
  if (typeof k.promises?.connect !== 'function') missing.push('promises.connect');
  if (missing.length) throw new Error(`the isokernel module has no socket calls (${missing.join(', ')}): this kernel has no sockets`);
  return k as IskSockets;
}

function sockAddr(a: ListenAddr): { domain: 'inet' | 'inet6' | 'unix'; addr: SockAddr } {
  if ('path' in a) return { domain: 'unix', addr: { path: a.path } };
  const v6 = a.host.includes(':');
  return { domain: v6 ? 'inet6' : 'inet', addr: { family: v6 ? 'inet6' : 'inet', address: a.host, port: a.port } };
}

/**
 * A connection on a socket descriptor. Reads and writes are the promise forms of read and
 * write (a socket reads and writes as a pipe does). destroy() shuts the socket down, which
 * wakes a pending read with end-of-stream; the descriptor is closed once no call is using it.
 */
class IskConn implements Conn {
  readonly remoteAddress: string;
  readonly remotePort: number;
  private local: SockAddr | null;
  private readonly s: IskSockets;
  private readonly fd: number;
  private busy = 0;
  private destroyed = false;
  private closed = false;

  constructor(s: IskSockets, fd: number, remote: SockAddr, local: SockAddr | null) {
    this.s = s;
    this.fd = fd;
    this.remoteAddress = remote.address ?? (remote.path !== undefined ? 'unix' : '');
    this.remotePort = remote.port ?? 0;
    this.local = local;
  }

  private localAddr(): SockAddr {
    if (!this.local || this.local.address === '0.0.0.0' || this.local.address === '::') {
      try {
        this.local = this.s.getsockname(this.fd) ?? {};
      } catch {
        this.local = this.local ?? {};
      }
    }
    return this.local;
  }
  get localAddress(): string {
    return this.localAddr().address ?? 'unix';
  }
  get localPort(): number {
    return this.localAddr().port ?? 0;
  }

  private settle(): void {
    if (this.destroyed && this.busy === 0 && !this.closed) {
      this.closed = true;
      isk.closeLater(this.fd);
    }
  }

  async read(): Promise<Uint8Array> {
    if (this.destroyed) return EMPTY;
    this.busy++;
    try {
      return await isk.promises.read(this.fd, 65536);
    } catch (e) {
      if (this.destroyed) return EMPTY;
      throw e;
    } finally {
      this.busy--;
      this.settle();
    }
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.destroyed) throw Object.assign(new Error('connection closed'), { code: 'EPIPE' });
    this.busy++;
    try {
      await isk.promises.write(this.fd, data);
    } finally {
      this.busy--;
      this.settle();
    }
  }

  end(): void {
    if (this.destroyed) return;
    try {
      this.s.shutdown(this.fd, 'write');
    } catch {
      // not connected any more
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    try {
      this.s.shutdown(this.fd, 'both');
    } catch {
      // not connected any more
    }
    this.settle();
  }
}

class IskListener implements Listener {
  readonly name: string;
  readonly port: number;
  private readonly s: IskSockets;
  private readonly fd: number;
  private readonly local: SockAddr;
  private closed = false;
  private accepting = false;
  private fdOpen = true;

  constructor(s: IskSockets, fd: number, local: SockAddr) {
    this.s = s;
    this.fd = fd;
    this.local = local;
    this.port = local.port ?? 0;
    this.name = local.path !== undefined ? `unix:${local.path}` : `${(local.address ?? '').includes(':') ? `[${local.address}]` : local.address}:${local.port}`;
  }

  async accept(): Promise<Conn> {
    if (this.closed) throw new Error('listener closed');
    // Close-on-exec: a CGI must not inherit client connections (it would hold them open).
    this.accepting = true;
    let a: { fd: number; addr: SockAddr | null };
    try {
      a = await this.s.promises.accept(this.fd, { cloexec: true });
    } finally {
      this.accepting = false;
      if (this.closed) this.closeFd();
    }
    if (this.closed) {
      isk.close(a.fd);
      throw new Error('listener closed');
    }
    return new IskConn(this.s, a.fd, a.addr ?? {}, this.local);
  }

  /** The descriptor is closed only with no accept pending on it (its number could be reused under that call). */
  private closeFd(): void {
    if (!this.fdOpen || this.accepting) return;
    this.fdOpen = false;
    try {
      isk.close(this.fd);
    } catch {
      // closed already
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      // Wakes a pending accept where the kernel supports it; else it ends at the next connection.
      this.s.shutdown(this.fd, 'both');
    } catch {
      // a listener may refuse shutdown
    }
    this.closeFd();
  }
}

export function iskTransport(): Transport {
  const s = sockets();
  return {
    async listen(a: ListenAddr, backlog: number): Promise<Listener> {
      const { domain, addr } = sockAddr(a);
      const fd = s.socket(domain, 'stream', { cloexec: true });
      try {
        if (domain !== 'unix') s.setsockopt?.(fd, 'reuseaddr', true);
        s.bind(fd, addr);
        s.listen(fd, backlog);
        return new IskListener(s, fd, s.getsockname(fd) ?? addr);
      } catch (e) {
        isk.close(fd);
        throw e;
      }
    },
    async connect(a: ListenAddr): Promise<Conn> {
      const { domain, addr } = sockAddr(a);
      const fd = s.socket(domain, 'stream', { cloexec: true });
      try {
        await s.promises.connect(fd, addr);
        return new IskConn(s, fd, addr, null);
      } catch (e) {
        isk.close(fd);
        throw e;
      }
    },
  };
}
