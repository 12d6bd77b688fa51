// node:net over the kernel's sockets (docs/jsproc.md, "Sockets"): Server (listen on a port or
// a Unix-domain path, 'listening', 'connection', 'close', 'error', address, close,
// getConnections, maxConnections) and Socket (a Duplex: connect, write, end, destroy,
// resetAndDestroy, setNoDelay, setKeepAlive, setTimeout, address, remote/local address and
// port, bytesRead/bytesWritten, readyState; 'connect', 'ready', 'data', 'end', 'close'
// (hadError), 'timeout', 'error' as Node emits them).
//
// I/O: each socket reads with the promise form of recv on an async lane (one call in flight
// per socket, 64 KiB at most each) and writes with the promise form of send, several
// buffered writes joined in one (writev); a server accepts in a loop with the promise form of
// accept, so connections are served while it waits. The kernel resolves no names: hosts are
// IP addresses or "localhost" (else ENOTFOUND, as a failed lookup).
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { parseIpv4, parseIpv6 } from '../../kernel/net/addr.ts';
import { nodeError, SysErr, uvError } from '../errors.ts';
import * as ns from '../net-sys.ts';

const READ_CHUNK = 65536;
const SOL_SOCKET = 0x7fffffff;

export function isIPv4(s: string): boolean {
  return typeof s === 'string' && parseIpv4(s) !== null;
}
export function isIPv6(s: string): boolean {
  return typeof s === 'string' && !s.includes('%') && parseIpv6(s) !== null;
}
export function isIP(s: string): number {
  return isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0;
}

let autoSelectFamily = true;
let autoSelectFamilyTimeout = 250;
export const getDefaultAutoSelectFamily = (): boolean => autoSelectFamily;
export const setDefaultAutoSelectFamily = (v: boolean): void => void (autoSelectFamily = !!v);
export const getDefaultAutoSelectFamilyAttemptTimeout = (): number => autoSelectFamilyTimeout;
export const setDefaultAutoSelectFamilyAttemptTimeout = (v: number): void => void (autoSelectFamilyTimeout = v);

/** Node's error for a failed socket call with an address: "connect ECONNREFUSED 127.0.0.1:80". */
function addrError(e: unknown, syscall: string, address?: string, port?: number): Error {
  if (!(e instanceof SysErr)) return e as Error;
  const u = uvError(e.errno, syscall) as Error & { code: string; address?: string; port?: number };
  let where = '';
  if (address !== undefined) where = port !== undefined && port > 0 ? ` ${address}:${port}` : ` ${address}`;
  u.message = `${syscall} ${u.code}${where}`;
  if (address !== undefined) u.address = address;
  if (port !== undefined && port > 0) u.port = port;
  return u;
}

function familyName(a: ns.SockAddr | null): string | undefined {
  if (!a) return undefined;
  return a.family === 'inet' ? 'IPv4' : a.family === 'inet6' ? 'IPv6' : undefined;
}

/** host → [domain, address]; null if it is a name the kernel cannot resolve. */
function resolveHost(host: string | undefined, family?: number): [number, string] | null {
  if (host === undefined || host === '' || host === 'localhost') {
    return family === 6 ? [ns.AF.INET6, '::1'] : [ns.AF.INET, '127.0.0.1'];
  }
  if (isIPv4(host)) return [ns.AF.INET, host];
  if (isIPv6(host)) return [ns.AF.INET6, host];
  return null;
}

function validPort(p: unknown, what = 'options.port'): number {
  const n = typeof p === 'string' && /^\d+$/.test(p) ? Number(p) : p;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw nodeError(RangeError, 'ERR_SOCKET_BAD_PORT', `${what} should be >= 0 and < 65536. Received ${typeof p === 'string' ? `type string ('${p}')` : String(p)}.`);
  }
  return n;
}

export interface SocketOptions {
  fd?: number;
  allowHalfOpen?: boolean;
  readable?: boolean;
  writable?: boolean;
  noDelay?: boolean;
  keepAlive?: boolean;
  keepAliveInitialDelay?: number;
  timeout?: number;
}

type ConnectOptions = { port?: number | string; host?: string; path?: string; family?: number; noDelay?: boolean; keepAlive?: boolean; timeout?: number; localAddress?: string };

export class Socket extends Duplex {
  /** The kernel descriptor, or -1. */
  private fd = -1;
  connecting = false;
  private reading = false;
  private wantRead = false;
  private ended = false;
  private hadError = false;
  bytesRead = 0;
  private written = 0;
  private timeoutMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private noDelay = false;
  private keepAlive = false;
  private remote: ns.SockAddr | null = null;
  private local: ns.SockAddr | null = null;
  server: Server | null = null;
  _host: string | null = null;

  constructor(options: SocketOptions = {}) {
    super({ allowHalfOpen: options.allowHalfOpen ?? false, emitClose: false, decodeStrings: true, autoDestroy: true });
    this.noDelay = !!options.noDelay;
    this.keepAlive = !!options.keepAlive;
    if (options.fd !== undefined) this.attach(options.fd);
    if (options.timeout) this.setTimeout(options.timeout);
    this.on('end', () => {
      this.ended = true;
    });
  }

  /** An open descriptor becomes this socket's. */
  private attach(fd: number): void {
    this.fd = fd;
    try {
      this.remote = ns.getpeername(fd);
    } catch { /* not connected */ }
    try {
      this.local = ns.getsockname(fd);
    } catch { /* gone */ }
    this.applyOptions();
  }

  private applyOptions(): void {
    if (this.fd < 0) return;
    const isTcp = this.local !== null && this.local.family !== 'unix';
    try {
      if (isTcp && this.noDelay) ns.setsockopt(this.fd, 6, 1, Uint8Array.of(1, 0, 0, 0));
      if (isTcp && this.keepAlive) ns.setsockopt(this.fd, SOL_SOCKET, 9, Uint8Array.of(1, 0, 0, 0));
    } catch { /* best effort, as Node */ }
  }

  // ---- connect ----

  connect(...args: unknown[]): this {
    let o: ConnectOptions;
    let cb: (() => void) | undefined;
    if (typeof args[0] === 'object' && args[0] !== null) {
      o = args[0] as ConnectOptions;
      cb = args[1] as (() => void) | undefined;
    } else if (typeof args[0] === 'string' && !/^\d+$/.test(args[0])) {
      o = { path: args[0] };
      cb = args[1] as (() => void) | undefined;
    } else {
      o = { port: args[0] as number };
      if (typeof args[1] === 'string') {
        o.host = args[1];
        cb = args[2] as (() => void) | undefined;
      } else cb = args[1] as (() => void) | undefined;
    }
    if (typeof cb === 'function') this.once('connect', cb);
    if (o.noDelay !== undefined) this.noDelay = !!o.noDelay;
    if (o.keepAlive !== undefined) this.keepAlive = !!o.keepAlive;
    if (o.timeout) this.setTimeout(o.timeout);
    if (this.fd >= 0 || this.connecting) throw nodeError(Error, 'ERR_SOCKET_CONNECTING', 'Socket is already connecting or connected');
    let domain: number;
    let addr: ns.SockAddr;
    if (o.path !== undefined) {
      domain = ns.AF.UNIX;
      addr = { family: 'unix', path: String(o.path) };
    } else {
      const port = validPort(o.port);
      const r = resolveHost(o.host, o.family);
      this._host = o.host ?? 'localhost';
      if (r === null) {
        const e = Object.assign(new Error(`getaddrinfo ENOTFOUND ${o.host}`), { errno: -3008, code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: o.host });
        this.connecting = true;
        process.nextTick(() => {
          this.connecting = false;
          this.destroy(e);
        });
        return this;
      }
      domain = r[0];
      addr = domain === ns.AF.INET ? { family: 'inet', address: r[1], port } : { family: 'inet6', address: r[1], port };
    }
    this.connecting = true;
    let fd: number;
    try {
      fd = ns.socket(domain, ns.SOCK.STREAM | ns.SOCK_CLOEXEC);
    } catch (e) {
      process.nextTick(() => this.destroy(addrError(e, 'socket')));
      return this;
    }
    this.fd = fd;
    ns.connectAsync(fd, addr).then(() => {
      this.connecting = false;
      if (this.destroyed) return;
      this.attach(fd);
      this.touch();
      this.emit('connect');
      this.emit('ready');
      // As Node: reading starts at once (end of stream is seen even with no 'data' listener).
      if (this.wantRead) this.readLoop();
      else if (this.readable && !this.isPaused()) this.read(0);
      this.flushPendingWrite();
    }, (e: unknown) => {
      this.connecting = false;
      if (this.destroyed) return;
      const a = addr.family === 'unix' ? addr.path : addr.address;
      this.destroy(addrError(e, 'connect', a, addr.family === 'unix' ? undefined : addr.port));
    });
    return this;
  }

  // ---- reading ----

  override _read(): void {
    if (this.fd < 0 || this.connecting) {
      this.wantRead = true;
      return;
    }
    this.readLoop();
  }

  private readLoop(): void {
    if (this.reading || this.destroyed || this.fd < 0) return;
    this.reading = true;
    const fd = this.fd;
    ns.recvfromAsync(fd, READ_CHUNK).then((r) => {
      this.reading = false;
      if (this.destroyed || this.fd !== fd) return;
      this.touch();
      if (r.data.length === 0) {
        this.push(null);
        this.read(0); // as Node: 'end' comes even when nothing consumes the stream
        return;
      }
      this.bytesRead += r.data.length;
      const b = Buffer.from(r.data.buffer, r.data.byteOffset, r.data.length);
      if (this.push(b)) this.readLoop();
    }, (e: unknown) => {
      this.reading = false;
      if (this.destroyed || this.fd !== fd) return;
      this.destroy(addrError(e, 'read'));
    });
  }

  // ---- writing ----

  private pendingWrite: (() => void) | null = null;

  private flushPendingWrite(): void {
    const w = this.pendingWrite;
    this.pendingWrite = null;
    w?.();
  }

  private sendAll(data: Uint8Array, cb: (e?: Error | null) => void): void {
    if (this.fd < 0 || this.connecting) {
      this.pendingWrite = () => this.sendAll(data, cb);
      return;
    }
    const fd = this.fd;
    ns.sendtoAsync(fd, data, ns.MSG_NOSIGNAL).then((n) => {
      this.written += n;
      this.touch();
      if (n < data.length && !this.destroyed) return this.sendAll(data.subarray(n), cb);
      cb();
    }, (e: unknown) => cb(addrError(e, 'write')));
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.sendAll(chunk, cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (e?: Error | null) => void): void {
    this.sendAll(chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk)), cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (this.fd < 0 || this.connecting) {
      this.pendingWrite = () => this._final(cb);
      return;
    }
    try {
      ns.shutdown(this.fd, 2);
    } catch { /* not connected any more: nothing to end */ }
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.hadError = err !== null;
    this.clearTimer();
    this.connecting = false;
    const fd = this.fd;
    this.fd = -1;
    if (fd >= 0) {
      try {
        ns.close(fd);
      } catch { /* already closed */ }
    }
    if (this.server) this.server._connectionClosed();
    cb(err);
    process.nextTick(() => this.emit('close', this.hadError));
  }

  /** Closes with a reset (SO_LINGER 0), as Node's resetAndDestroy. */
  resetAndDestroy(): this {
    if (this.fd >= 0) {
      try {
        ns.setsockopt(this.fd, SOL_SOCKET, 13, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0));
      } catch { /* not a TCP socket */ }
    }
    return this.destroy();
  }

  // ---- options, timers, addresses ----

  setNoDelay(noDelay = true): this {
    this.noDelay = !!noDelay;
    this.applyOptions();
    if (!noDelay && this.fd >= 0) {
      try {
        ns.setsockopt(this.fd, 6, 1, Uint8Array.of(0, 0, 0, 0));
      } catch { /* not TCP */ }
    }
    return this;
  }

  setKeepAlive(enable = false, _initialDelay = 0): this {
    this.keepAlive = !!enable;
    if (this.fd >= 0) {
      try {
        ns.setsockopt(this.fd, SOL_SOCKET, 9, Uint8Array.of(enable ? 1 : 0, 0, 0, 0));
      } catch { /* not TCP */ }
    }
    return this;
  }

  setTimeout(ms: number, cb?: () => void): this {
    this.timeoutMs = ms;
    if (cb) {
      if (ms === 0) this.off('timeout', cb);
      else this.once('timeout', cb);
    }
    this.touch();
    return this;
  }

  get timeout(): number | undefined {
    return this.timeoutMs || undefined;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Activity: the idle timer starts again. */
  private touch(): void {
    this.clearTimer();
    if (this.timeoutMs > 0 && !this.destroyed) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.emit('timeout');
      }, this.timeoutMs);
      this.timer.unref?.();
    }
  }

  address(): { address: string; family: string; port: number } | Record<string, never> {
    const a = this.local;
    if (!a || a.family === 'unix') return {};
    return { address: a.address, family: familyName(a)!, port: a.port };
  }
  get remoteAddress(): string | undefined {
    return this.remote && this.remote.family !== 'unix' ? this.remote.address : undefined;
  }
  get remotePort(): number | undefined {
    return this.remote && this.remote.family !== 'unix' ? this.remote.port : undefined;
  }
  get remoteFamily(): string | undefined {
    return familyName(this.remote);
  }
  get localAddress(): string | undefined {
    return this.local && this.local.family !== 'unix' ? this.local.address : undefined;
  }
  get localPort(): number | undefined {
    return this.local && this.local.family !== 'unix' ? this.local.port : undefined;
  }
  get localFamily(): string | undefined {
    return familyName(this.local);
  }
  get bytesWritten(): number {
    return this.written;
  }
  get pending(): boolean {
    return this.fd < 0 || this.connecting;
  }
  get readyState(): string {
    if (this.connecting) return 'opening';
    if (this.destroyed || this.fd < 0) return 'closed';
    if (this.readable && this.writable) return 'open';
    if (this.readable) return 'readOnly';
    if (this.writable) return 'writeOnly';
    return 'closed';
  }
  /** The kernel descriptor (isokernel's own: for isokernel.* calls on it). */
  get fdNumber(): number {
    return this.fd;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

export interface ServerOptions {
  allowHalfOpen?: boolean;
  pauseOnConnect?: boolean;
  noDelay?: boolean;
  keepAlive?: boolean;
  keepAliveInitialDelay?: number;
}

export class Server extends EventEmitter {
  private fd = -1;
  private opts: ServerOptions;
  private connections = 0;
  private closing = false;
  private local: ns.SockAddr | null = null;
  private closeCbs: ((e?: Error) => void)[] = [];
  maxConnections = 0;

  constructor(options?: ServerOptions | ((s: Socket) => void), listener?: (s: Socket) => void) {
    super();
    if (typeof options === 'function') {
      listener = options;
      options = {};
    }
    this.opts = options ?? {};
    if (listener) this.on('connection', listener);
  }

  get listening(): boolean {
    return this.fd >= 0 && !this.closing;
  }

  listen(...args: unknown[]): this {
    let o: { port?: number | string; host?: string; path?: string; backlog?: number; ipv6Only?: boolean; exclusive?: boolean } = {};
    let cb: (() => void) | undefined;
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      cb = last as () => void;
      args = args.slice(0, -1);
    }
    if (typeof args[0] === 'object' && args[0] !== null) o = args[0] as typeof o;
    else if (typeof args[0] === 'string' && !/^\d+$/.test(args[0])) o = { path: args[0], backlog: args[1] as number };
    else {
      o.port = args[0] as number;
      if (typeof args[1] === 'string') {
        o.host = args[1];
        o.backlog = args[2] as number;
      } else o.backlog = args[1] as number;
    }
    if (cb) this.once('listening', cb);
    if (this.fd >= 0) throw nodeError(Error, 'ERR_SERVER_ALREADY_LISTEN', 'Listen method has been called more than once without closing.');
    const given = (o as { fd?: unknown }).fd;
    if (typeof given === 'number') {
      // A listening socket this process was given (`isokernel run --listen`, a parent's): served as it is.
      try {
        if (!ns.getsockopt(given, SOL_SOCKET, 30)[0]) ns.listen(given, o.backlog ?? 511);
        this.local = ns.getsockname(given);
      } catch (e) {
        process.nextTick(() => this.emit('error', addrError(e, 'listen')));
        return this;
      }
      return this.startAccepting(given);
    }
    let domain: number;
    let addr: ns.SockAddr;
    if (o.path !== undefined) {
      domain = ns.AF.UNIX;
      addr = { family: 'unix', path: String(o.path) };
    } else {
      const port = o.port === undefined || o.port === null ? 0 : validPort(o.port);
      // No host: IPv4's any-address (Node would take IPv6's '::' where the host has IPv6).
      const r = o.host === undefined || o.host === '' ? [ns.AF.INET, '0.0.0.0'] as [number, string] : resolveHost(o.host);
      if (r === null) {
        const e = Object.assign(new Error(`getaddrinfo ENOTFOUND ${o.host}`), { errno: -3008, code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: o.host });
        process.nextTick(() => this.emit('error', e));
        return this;
      }
      domain = r[0];
      addr = domain === ns.AF.INET ? { family: 'inet', address: r[1], port } : { family: 'inet6', address: r[1], port };
    }
    let fd = -1;
    try {
      fd = ns.socket(domain, ns.SOCK.STREAM | ns.SOCK_CLOEXEC);
      if (domain !== ns.AF.UNIX) {
        ns.setsockopt(fd, SOL_SOCKET, 2, Uint8Array.of(1, 0, 0, 0));
        if (domain === ns.AF.INET6 && o.ipv6Only) ns.setsockopt(fd, 41, 26, Uint8Array.of(1, 0, 0, 0));
      }
      ns.bind(fd, addr);
      ns.listen(fd, o.backlog ?? 511);
      this.local = ns.getsockname(fd);
    } catch (e) {
      if (fd >= 0) ns.close(fd);
      const where = addr.family === 'unix' ? addr.path : addr.address;
      const err = addrError(e, 'listen', where, addr.family === 'unix' ? undefined : addr.port);
      if (e instanceof SysErr) {
        // Node: "listen EADDRINUSE: address already in use 127.0.0.1:8080".
        const text = uvError(e.errno, 'listen').message.replace(/^[A-Z0-9]+: /, '').replace(/, listen$/, '');
        err.message = `listen ${(err as { code?: string }).code}: ${text} ${addr.family === 'unix' ? where : `${where}:${addr.port}`}`;
      }
      process.nextTick(() => this.emit('error', err));
      return this;
    }
    return this.startAccepting(fd);
  }

  /** Listening on `fd` from now: 'listening' on the next tick, then connections as they come. */
  private startAccepting(fd: number): this {
    this.fd = fd;
    this.closing = false;
    process.nextTick(() => {
      this.emit('listening');
      void this.acceptLoop(fd);
    });
    return this;
  }

  private async acceptLoop(fd: number): Promise<void> {
    while (this.fd === fd && !this.closing) {
      let a: ns.Accepted;
      try {
        a = await ns.acceptAsync(fd, ns.SOCK_CLOEXEC);
      } catch (e) {
        if (this.fd !== fd || this.closing) return;
        const errno = e instanceof SysErr ? e.errno : -1;
        // A connection that went before it was taken, or no descriptor free: go on, as libuv does.
        if (errno === 13 /* ECONNABORTED */ || errno === 33 /* EMFILE */ || errno === 41 /* ENFILE */) {
          await new Promise((r) => setTimeout(r, errno === 13 ? 0 : 50));
          continue;
        }
        this.emit('error', addrError(e, 'accept'));
        return;
      }
      if (this.closing || (this.maxConnections > 0 && this.connections >= this.maxConnections)) {
        ns.close(a.fd);
        if (this.closing) return;
        this.emit('drop', { remoteAddress: a.addr && a.addr.family !== 'unix' ? a.addr.address : undefined });
        continue;
      }
      const s = new Socket({ fd: a.fd, allowHalfOpen: this.opts.allowHalfOpen, noDelay: this.opts.noDelay, keepAlive: this.opts.keepAlive });
      s.server = this;
      this.connections++;
      if (this.opts.pauseOnConnect) s.pause();
      else s.read(0);
      this.emit('connection', s);
    }
  }

  /** A connection of this server closed. */
  _connectionClosed(): void {
    this.connections--;
    this.maybeClosed();
  }

  private maybeClosed(): void {
    if (!this.closing || this.connections > 0 || this.fd >= 0) return;
    const cbs = this.closeCbs;
    this.closeCbs = [];
    process.nextTick(() => {
      for (const cb of cbs) cb();
      this.emit('close');
    });
  }

  close(cb?: (e?: Error) => void): this {
    if (this.fd < 0) {
      if (cb) process.nextTick(() => cb(nodeError(Error, 'ERR_SERVER_NOT_RUNNING', 'Server is not running.')));
      return this;
    }
    if (cb) this.closeCbs.push(cb);
    this.closing = true;
    const fd = this.fd;
    this.fd = -1;
    try {
      ns.close(fd);
    } catch { /* gone */ }
    if (this.local?.family === 'unix' && !this.local.path.startsWith('\0')) {
      try {
        ns.unlinkPath(this.local.path);
      } catch { /* removed already */ }
    }
    this.maybeClosed();
    return this;
  }

  address(): { address: string; family: string; port: number } | string | null {
    const a = this.local;
    if (!a || this.fd < 0) return null;
    if (a.family === 'unix') return a.path;
    return { address: a.address, family: familyName(a)!, port: a.port };
  }

  getConnections(cb: (e: Error | null, n: number) => void): this {
    process.nextTick(() => cb(null, this.connections));
    return this;
  }

  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await new Promise<void>((r) => this.close(() => r()));
  }
}

export function createServer(options?: ServerOptions | ((s: Socket) => void), listener?: (s: Socket) => void): Server {
  return new Server(options, listener);
}

export function connect(...args: unknown[]): Socket {
  const o = typeof args[0] === 'object' && args[0] !== null ? (args[0] as SocketOptions) : {};
  const s = new Socket(o);
  return s.connect(...args);
}
export const createConnection = connect;
export const Stream = Socket;
