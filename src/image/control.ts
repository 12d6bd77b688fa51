// The control socket: how host commands (`isokernel ps`, `service`, `logs`, `exec` and
// later `top`, `strace`) talk to a running kernel. docs/services.md ("Control socket") is
// the reference.
//
// Transport: a Unix stream socket STATE/control.sock, mode 0600, in a directory of mode 0700
// owned by the host user: the filesystem is the access check (Node cannot read a peer's
// credentials — no SO_PEERCRED — so there is no second check; another user cannot reach
// the socket, root excepted). The socket is created under umask 0177, so it is never
// visible with a wider mode, and chmod'ed to 0600 after.
//
// Protocol: JSON lines. A request `{ "id": n, "op": "...", ... }` gets replies carrying its
// id: one `{ id, ok: true, ... }` or `{ id, ok: false, error }`, or, for streaming ops,
// frames ending with `{ id, end: true, status }`. Several requests may run at once on one
// connection. The client sends frames to a running request the same way (`exec`'s stdin:
// `{ id, fd: 0, data: BASE64 }`, `{ id, fd: 0, eof: true }`, `{ id, signal: "SIGINT" }`).
//
// Ops are registered by name (`registerControlOp`): ps and service here, exec in
// control-exec.ts, logs by the log subsystem, and so on — none needs to edit the server.
import { chmodSync, existsSync, lstatSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Kernel } from '../kernel/kernel.ts';
import { stateLetter } from '../kernel/vfs/procfs.ts';

/** Sends a request to init (PID 1) over its pipe and resolves with its reply (init-channel.ts). */
export type InitRequest = (msg: Record<string, unknown>) => Promise<Record<string, unknown>>;

export const CONTROL_SOCKET = 'control.sock';
/** Longest request line (exec's stdin frames are at most this long). */
const MAX_LINE = 16 << 20;
/** A connection's output buffer above this: streaming ops wait (ControlContext.writable). */
const HIGH_WATER = 1 << 20;
/** Frames a request may receive before its op listens for them (more are dropped). */
const MAX_EARLY_FRAMES = 1024;
/** sun_path's size on Linux, with its NUL. */
const SUN_PATH_MAX = 107;

/** What an op handler gets besides the request. */
export interface ControlContext {
  kernel: Kernel;
  /** Requests to init, or null when the kernel has no init (a bare kernel). */
  init: InitRequest | null;
  /** Sends a frame of this request (the id is added). */
  send(frame: Record<string, unknown>): void;
  /** Ends a streaming request: `{ id, end: true, status, ...extra }`. */
  end(status: number, extra?: Record<string, unknown>): void;
  /**
   * Resolves when the connection has room for more frames (its output buffer is under
   * 1 MiB): a streaming op that awaits it before reading more passes the client's pace on.
   */
  writable(): Promise<void>;
  /**
   * Stops (true) or resumes (false) reading the connection: an op whose client sends input
   * faster than it can pass it on holds the client back (every request of the connection
   * waits meanwhile). Each true needs its false; the request's end releases its holds.
   */
  holdInput(on: boolean): void;
  /** Frames the client sends to this request after it (exec's stdin, signals). */
  onFrame(fn: (frame: Record<string, unknown>) => void): void;
  /** Aborted when the client disconnects. */
  readonly signal: AbortSignal;
}

/**
 * An op: returns the reply's fields (`ok: true` is added unless given) for a one-shot op,
 * or undefined for a streaming op, which sends frames and calls ctx.end(). A thrown error
 * becomes `{ ok: false, error: message }`.
 */
export type ControlHandler = (req: Record<string, unknown>, ctx: ControlContext) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

const ops = new Map<string, ControlHandler>();

/** Adds an op (its name as clients send it in `op`). A second registration replaces the first. */
export function registerControlOp(name: string, handler: ControlHandler): void {
  ops.set(name, handler);
}

export function controlOps(): string[] {
  return [...ops.keys()].sort();
}

/** Where a state directory's control socket is. */
export function controlSocketPath(stateDir: string): string {
  return path.join(path.resolve(stateDir), CONTROL_SOCKET);
}

/** A control error with a stable code (ECONTROL_*), for the host commands to print. */
export class ControlError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'ControlError';
  }
}

/**
 * Makes `dir` a private directory (0700, the caller's): creates it, or checks an existing
 * one is a directory of ours and tightens its mode. Errors: ControlError ECONTROL_STATE.
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new ControlError('ECONTROL_STATE', `${dir}: not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new ControlError('ECONTROL_STATE', `${dir}: owned by uid ${st.uid}, not by us (uid ${uid})`);
  if ((st.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}

export interface ControlServerOptions {
  kernel: Kernel;
  stateDir: string;
  /** How to reach init: a function, or an object with a `request` method (an InitChannel). */
  request?: InitRequest | null;
  init?: { request: InitRequest } | unknown;
}

function initRequest(o: ControlServerOptions): InitRequest | null {
  if (typeof o.request === 'function') return o.request;
  const i = o.init as { request?: unknown } | null | undefined;
  if (i && typeof i.request === 'function') return (m) => (i.request as InitRequest).call(i, m);
  return null;
}

export class ControlServer {
  readonly path: string;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(p: string, server: net.Server) {
    this.path = p;
    this.server = server;
  }

  /**
   * Listens on STATE/control.sock. A socket left by a kernel that died is replaced; one a
   * live kernel answers on is not. Errors: ControlError ECONTROL_STATE (the directory),
   * ECONTROL_BUSY (another kernel uses this state directory), ECONTROL_PATH (too long).
   */
  static async listen(o: ControlServerOptions): Promise<ControlServer> {
    privateDir(o.stateDir);
    const sock = controlSocketPath(o.stateDir);
    if (Buffer.byteLength(sock) > SUN_PATH_MAX) {
      throw new ControlError('ECONTROL_PATH', `${sock}: longer than a Unix socket path may be (${SUN_PATH_MAX} bytes); use a shorter --state`);
    }
    if (existsSync(sock)) {
      if (await answers(sock)) throw new ControlError('ECONTROL_BUSY', `${sock}: another isokernel is running with this state directory`);
      unlinkSync(sock);
    }
    const srv = new ControlServer(sock, net.createServer());
    srv.server.on('connection', (s) => srv.connection(s, o));
    const old = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        srv.server.once('error', reject);
        srv.server.listen(sock, () => {
          srv.server.off('error', reject);
          resolve();
        });
      });
    } finally {
      process.umask(old);
    }
    chmodSync(sock, 0o600);
    srv.server.on('error', () => { /* a failed accept: the server goes on */ });
    return srv;
  }

  /** Stops listening, drops the connections and removes the socket. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    try {
      if (statSync(this.path).isSocket()) unlinkSync(this.path);
    } catch { /* already gone */ }
  }

  /** Requests holding a connection's input (ControlContext.holdInput): `delta` added. */
  private held(s: net.Socket, delta: number): number {
    const n = (this.holders.get(s) ?? 0) + delta;
    this.holders.set(s, n);
    return n;
  }
  private readonly holders = new WeakMap<net.Socket, number>();

  private connection(s: net.Socket, o: ControlServerOptions): void {
    this.sockets.add(s);
    const abort = new AbortController();
    const running = new Map<unknown, (frame: Record<string, unknown>) => void>();
    const write = (msg: Record<string, unknown>): void => {
      if (!s.destroyed && s.writable) s.write(JSON.stringify(msg) + '\n');
    };
    s.on('error', () => s.destroy());
    s.on('close', () => {
      this.sockets.delete(s);
      abort.abort();
    });
    let buf = '';
    s.setEncoding('utf8');
    s.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim() !== '') this.line(line, o, write, running, abort.signal, s);
      }
      if (buf.length > MAX_LINE) {
        write({ id: null, ok: false, error: `request line longer than ${MAX_LINE} bytes` });
        s.destroy();
      }
    });
  }

  private line(line: string, o: ControlServerOptions, write: (m: Record<string, unknown>) => void,
    running: Map<unknown, (frame: Record<string, unknown>) => void>, signal: AbortSignal, sock: net.Socket): void {
    let req: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('a request is a JSON object');
      req = v as Record<string, unknown>;
    } catch (e) {
      write({ id: null, ok: false, error: `bad request: ${(e as Error).message}` });
      return;
    }
    const id = req.id ?? null;
    if (typeof id !== 'number' && typeof id !== 'string') {
      write({ id: null, ok: false, error: 'a request needs an "id" (a number or a string)' });
      return;
    }
    const toRunning = running.get(id);
    if (req.op === undefined && toRunning) {
      toRunning(req);
      return;
    }
    if (toRunning) {
      write({ id, ok: false, error: `request ${id} is already running` });
      return;
    }
    const op = typeof req.op === 'string' ? ops.get(req.op) : undefined;
    if (!op) {
      write({ id, ok: false, error: `unknown op ${JSON.stringify(req.op)}; ops: ${controlOps().join(', ')}` });
      return;
    }
    let ended = false;
    const frameFns: ((f: Record<string, unknown>) => void)[] = [];
    // Frames that come before the op listens (exec's stdin while the program is looked up)
    // wait for it, up to a bound.
    const early: Record<string, unknown>[] = [];
    running.set(id, (f) => {
      if (frameFns.length > 0) for (const fn of frameFns) fn(f);
      else if (early.length < MAX_EARLY_FRAMES) early.push(f);
    });
    let holds = 0;
    const hold = (on: boolean): void => {
      if (on) {
        if (holds++ === 0 && this.held(sock, 1) === 1) sock.pause();
      } else if (holds > 0 && --holds === 0 && this.held(sock, -1) === 0) sock.resume();
    };
    const finish = (): void => {
      ended = true;
      running.delete(id);
      if (holds > 0) {
        holds = 1;
        hold(false);
      }
    };
    const ctx: ControlContext = {
      kernel: o.kernel, init: initRequest(o), signal,
      send: (frame) => {
        if (!ended) write({ ...frame, id });
      },
      end: (status, extra) => {
        if (ended) return;
        write({ ...extra, id, end: true, status });
        finish();
      },
      writable: () => {
        if (sock.destroyed || sock.writableLength < HIGH_WATER) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const done = (): void => {
            sock.off('drain', done);
            sock.off('close', done);
            resolve();
          };
          sock.on('drain', done);
          sock.on('close', done);
        });
      },
      holdInput: (on) => {
        if (!ended) hold(on);
      },
      onFrame: (fn) => {
        frameFns.push(fn);
        for (const f of early.splice(0)) fn(f);
      },
    };
    Promise.resolve().then(() => op(req, ctx)).then((r) => {
      if (r && !ended) {
        write({ ok: true, ...r, id });
        finish();
      }
    }, (e: unknown) => {
      if (ended) return;
      write({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
      finish();
    });
  }
}

/** Whether something listens on the socket at `p` (a live kernel). */
function answers(p: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(p);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

// ---- the built-in ops ----

export interface PsEntry {
  pid: number;
  ppid: number;
  pgid: number;
  uid: number;
  gid: number;
  /** R running, S sleeping, T stopped, Z zombie, I embryo (not started yet). */
  state: string;
  /** What a sleeping process waits in (the call's name). */
  wchan: string | null;
  /** Start time, ms since the epoch. */
  start: number;
  cpuMs: number;
  /** Bytes of the process's linear memory (0 when it has none). */
  memBytes: number;
  argv: string[];
}


/** The kernel's process table, for `ps`. */
export function processTable(k: Kernel): PsEntry[] {
  const nowMs = Number(k.clock.realtime() / 1_000_000n);
  const upNs = k.clock.uptimeNs();
  return [...k.procs.values()].sort((a, b) => a.pid - b.pid).map((p) => ({
    pid: p.pid, ppid: p.ppid, pgid: p.pgid, uid: p.uid, gid: p.gid, state: stateLetter(p), // as /proc says (an idle JS process is S)
    wchan: p.wchan, start: Math.round(nowMs - (upNs - p.acct.startNs) / 1e6), cpuMs: p.acct.cpuNs / 1e6,
    memBytes: p.mem ? p.mem.current().byteLength : 0, argv: [...p.argv],
  }));
}

registerControlOp('ps', (_req, ctx) => ({ processes: processTable(ctx.kernel) }));

registerControlOp('service', async (req, ctx) => {
  if (!ctx.init) throw new Error('this kernel has no init');
  const action = req.action;
  if (action !== 'status' && action !== 'start' && action !== 'stop' && action !== 'restart' && action !== 'reload') {
    throw new Error(`service: action must be status, start, stop, restart or reload (got ${JSON.stringify(action)})`);
  }
  if (req.name !== undefined && typeof req.name !== 'string') throw new Error('service: name must be a string');
  const r = await ctx.init({ op: 'service', action, ...(req.name ? { name: req.name } : {}) });
  const { id: _id, ...rest } = r;
  return rest;
});

/**
 * Starts the control server for a booted kernel (boot.ts calls this), with the ops of the
 * modules that register them (loaded here: they import this module).
 */
export async function startControlServer(o: ControlServerOptions): Promise<ControlServer> {
  await import('./control-exec.ts');
  await import('./logs-op.ts');
  return ControlServer.listen(o);
}
