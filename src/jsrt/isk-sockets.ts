// The `isokernel` module's sockets (docs/jsproc.md, "Sockets"): socket, socketpair, bind,
// listen, accept, connect, send, recv, sendto, recvfrom, shutdown, getsockname, getpeername,
// setsockopt, getsockopt; synchronous as POSIX is, and promise forms (accept, connect, send,
// recv, sendto, recvfrom) on async lanes so that a server accepts in a loop while other
// connections are served. Addresses: { address, port } (the family from the address; give
// `family` to say) or { path } for Unix-domain sockets; results { family, address, port } or
// { family: 'unix', path }. read/write/close/poll on a socket fd work as on any descriptor.
import { E } from '../abi/wasi.ts';
import { rethrow, SysErr } from './errors.ts';
import * as ns from './net-sys.ts';

type Domain = 'inet' | 'inet6' | 'unix';
type SockType = 'stream' | 'dgram';
export type Address = ns.AddrLike;

const DOMAINS: Record<string, number> = { inet: ns.AF.INET, inet6: ns.AF.INET6, unix: ns.AF.UNIX, ipv4: ns.AF.INET, ipv6: ns.AF.INET6 };
const TYPES: Record<string, number> = { stream: ns.SOCK.STREAM, dgram: ns.SOCK.DGRAM };
const SOL_SOCKET = 0x7fffffff;

function uv<T>(syscall: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    return rethrow(e, syscall);
  }
}
async function uvAsync<T>(syscall: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    return rethrow(e, syscall);
  }
}

function typeError(msg: string): TypeError {
  return Object.assign(new TypeError(msg), { code: 'ERR_INVALID_ARG_VALUE' });
}

/** The socket's family for an address: `family` if given, else from the address, else asked of the kernel (SO_DOMAIN). */
export function domainFor(fd: number, a: Address): number {
  if (a === null || typeof a !== 'object') throw typeError('a socket address must be an object: { address, port } or { path }');
  if (a.path !== undefined) return ns.AF.UNIX;
  if (a.family !== undefined) {
    const d = DOMAINS[String(a.family).toLowerCase()];
    if (d === undefined) throw typeError(`unknown address family ${a.family}`);
    return d;
  }
  const addr = a.address ?? a.host;
  if (addr !== undefined && addr !== 'localhost') return addr.includes(':') ? ns.AF.INET6 : ns.AF.INET;
  const b = ns.getsockopt(fd, SOL_SOCKET, 39);
  return new DataView(b.buffer, b.byteOffset).getInt32(0, true);
}

function sockFlags(o?: { nonblock?: boolean; cloexec?: boolean }): number {
  return (o?.nonblock ? ns.SOCK_NONBLOCK : 0) | (o?.cloexec ? ns.SOCK_CLOEXEC : 0);
}

function msgFlags(o?: { peek?: boolean; waitall?: boolean; dontwait?: boolean; nosignal?: boolean }): number {
  return (o?.peek ? ns.MSG_PEEK : 0) | (o?.waitall ? ns.MSG_WAITALL : 0) | (o?.dontwait ? ns.MSG_DONTWAIT : 0) |
    (o?.nosignal ? ns.MSG_NOSIGNAL : 0);
}

function bytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data) : data;
}

/** Options by name: [level, number, kind]. */
const OPTIONS: Record<string, [number, number, 'bool' | 'int' | 'ms' | 'type' | 'errno']> = {
  reuseaddr: [SOL_SOCKET, 2, 'bool'], reuseport: [SOL_SOCKET, 15, 'bool'], keepalive: [SOL_SOCKET, 9, 'bool'],
  broadcast: [SOL_SOCKET, 6, 'bool'], rcvbuf: [SOL_SOCKET, 8, 'int'], sndbuf: [SOL_SOCKET, 7, 'int'],
  rcvtimeo: [SOL_SOCKET, 66, 'ms'], sndtimeo: [SOL_SOCKET, 67, 'ms'], error: [SOL_SOCKET, 4, 'errno'],
  type: [SOL_SOCKET, 3, 'type'], acceptconn: [SOL_SOCKET, 30, 'bool'], nodelay: [6, 1, 'bool'], v6only: [41, 26, 'bool'],
};

function option(name: string): [number, number, 'bool' | 'int' | 'ms' | 'type' | 'errno'] {
  const o = OPTIONS[name];
  if (!o) throw typeError(`unknown socket option '${name}' (one of ${Object.keys(OPTIONS).join(', ')})`);
  return o;
}

export const sockets = {
  /** A new socket: domain 'inet' | 'inet6' | 'unix', type 'stream' | 'dgram'. */
  socket(domain: Domain = 'inet', type: SockType = 'stream', o?: { nonblock?: boolean; cloexec?: boolean }): number {
    const d = DOMAINS[domain], t = TYPES[type];
    if (d === undefined) throw typeError(`socket: domain must be 'inet', 'inet6' or 'unix'`);
    if (t === undefined) throw typeError(`socket: type must be 'stream' or 'dgram'`);
    return uv('socket', () => ns.socket(d, t | sockFlags(o)));
  },
  /** Two connected Unix-domain sockets. */
  socketpair(type: SockType = 'stream', o?: { nonblock?: boolean; cloexec?: boolean }): [number, number] {
    const t = TYPES[type];
    if (t === undefined) throw typeError(`socketpair: type must be 'stream' or 'dgram'`);
    return uv('socketpair', () => ns.socketpair(ns.AF.UNIX, t | sockFlags(o)));
  },
  bind(fd: number, addr: Address): void {
    uv('bind', () => ns.bind(fd, ns.toSockAddr(addr, domainFor(fd, addr))));
  },
  listen(fd: number, backlog = 511): void {
    uv('listen', () => ns.listen(fd, backlog));
  },
  /** The next connection: { fd, addr } (the peer's address). */
  accept(fd: number, o?: { nonblock?: boolean; cloexec?: boolean }): ns.Accepted {
    return uv('accept', () => ns.accept(fd, sockFlags(o)));
  },
  connect(fd: number, addr: Address): void {
    uv('connect', () => ns.connect(fd, ns.toSockAddr(addr, domainFor(fd, addr))));
  },
  /** Sends data (all of it, on a blocking stream socket); returns the count. */
  send(fd: number, data: string | Uint8Array, o?: { dontwait?: boolean; nosignal?: boolean }): number {
    const b = bytes(data);
    return uv('send', () => ns.sendto(fd, b, msgFlags(o)));
  },
  /** Receives up to n bytes: a Uint8Array, empty at end of stream. */
  recv(fd: number, n = 65536, o?: { peek?: boolean; waitall?: boolean; dontwait?: boolean }): Uint8Array {
    return uv('recv', () => ns.recvfrom(fd, n, msgFlags(o)).data);
  },
  sendto(fd: number, data: string | Uint8Array, addr: Address, o?: { dontwait?: boolean }): number {
    const b = bytes(data);
    return uv('sendto', () => ns.sendto(fd, b, msgFlags(o), ns.toSockAddr(addr, domainFor(fd, addr))));
  },
  /** A datagram (or stream data) and who sent it: { data, addr }. */
  recvfrom(fd: number, n = 65536, o?: { peek?: boolean; dontwait?: boolean }): ns.Received {
    return uv('recvfrom', () => ns.recvfrom(fd, n, msgFlags(o)));
  },
  shutdown(fd: number, how: 'read' | 'write' | 'both' = 'both'): void {
    const h = how === 'read' ? 1 : how === 'write' ? 2 : how === 'both' ? 3 : 0;
    if (h === 0) throw typeError(`shutdown: how must be 'read', 'write' or 'both'`);
    uv('shutdown', () => ns.shutdown(fd, h));
  },
  getsockname: (fd: number): ns.SockAddr | null => uv('getsockname', () => ns.getsockname(fd)),
  getpeername: (fd: number): ns.SockAddr | null => uv('getpeername', () => ns.getpeername(fd)),
  /**
   * Sets an option by name: reuseaddr, reuseport, keepalive, broadcast, nodelay, v6only
   * (booleans), rcvbuf, sndbuf (bytes), rcvtimeo, sndtimeo (ms, 0 = none).
   */
  setsockopt(fd: number, name: string, value: boolean | number): void {
    const [level, opt, kind] = option(name);
    let b: Uint8Array;
    if (kind === 'ms') {
      const ms = Number(value);
      if (!(ms >= 0)) throw typeError(`setsockopt ${name}: a number of ms, at least 0`);
      b = new Uint8Array(16);
      const dv = new DataView(b.buffer);
      dv.setBigInt64(0, BigInt(Math.floor(ms / 1000)), true);
      dv.setBigInt64(8, BigInt(Math.round((ms % 1000) * 1000)), true);
    } else if (kind === 'bool' || kind === 'int') {
      b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, kind === 'bool' ? (value ? 1 : 0) : Number(value), true);
    } else throw uvErr(E.NOPROTOOPT, 'setsockopt');
    uv('setsockopt', () => ns.setsockopt(fd, level, opt, b));
  },
  /** An option's value: booleans, numbers (ms for timeouts), 'stream'/'dgram' for type, an error code or null for error. */
  getsockopt(fd: number, name: string): boolean | number | string | null {
    const [level, opt, kind] = option(name);
    const b = uv('getsockopt', () => ns.getsockopt(fd, level, opt));
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (kind === 'ms') return Number(dv.getBigInt64(0, true)) * 1000 + Number(dv.getBigInt64(8, true)) / 1000;
    const v = dv.getInt32(0, true);
    if (kind === 'bool') return v !== 0;
    if (kind === 'type') return v === ns.SOCK.STREAM ? 'stream' : 'dgram';
    if (kind === 'errno') return v === 0 ? null : uvErr(v, 'getsockopt').code;
    return v;
  },
};

function uvErr(errno: number, syscall: string): Error & { code: string } {
  try {
    rethrow(new SysErr(errno), syscall);
  } catch (e) {
    return e as Error & { code: string };
  }
}

export const socketPromises = {
  async accept(fd: number, o?: { nonblock?: boolean; cloexec?: boolean }): Promise<ns.Accepted> {
    return uvAsync('accept', () => ns.acceptAsync(fd, sockFlags(o)));
  },
  async connect(fd: number, addr: Address): Promise<void> {
    const a = ns.toSockAddr(addr, domainFor(fd, addr));
    return uvAsync('connect', () => ns.connectAsync(fd, a));
  },
  async send(fd: number, data: string | Uint8Array, o?: { dontwait?: boolean; nosignal?: boolean }): Promise<number> {
    const b = bytes(data);
    return uvAsync('send', () => ns.sendtoAsync(fd, b, msgFlags(o)));
  },
  async recv(fd: number, n = 65536, o?: { peek?: boolean; waitall?: boolean; dontwait?: boolean }): Promise<Uint8Array> {
    return (await uvAsync('recv', () => ns.recvfromAsync(fd, n, msgFlags(o)))).data;
  },
  async sendto(fd: number, data: string | Uint8Array, addr: Address): Promise<number> {
    const b = bytes(data);
    const a = ns.toSockAddr(addr, domainFor(fd, addr));
    return uvAsync('sendto', () => ns.sendtoAsync(fd, b, 0, a));
  },
  async recvfrom(fd: number, n = 65536, o?: { peek?: boolean }): Promise<ns.Received> {
    return uvAsync('recvfrom', () => ns.recvfromAsync(fd, n, msgFlags(o)));
  },
};
