// The socket calls of a JS process (the isokernel module's, docs/abi.md "Sockets"), taking
// and returning JS values, as sys.ts does for the others: addresses laid out as a C
// program's struct sockaddr (net/addr.ts, shared with the kernel), results read back. Each
// call that can wait has an async form on an async lane, so the event loop runs meanwhile.
// Errors are SysErr (a WASI errno).
import { AF, encodeSockAddr, ipv4ToString, ipv6ToString, parseIpv4, parseIpv6, type SockAddr, SOCK } from '../kernel/net/addr.ts';
import { E } from '../abi/wasi.ts';
import { SysErr } from './errors.ts';
import { call, callAsync, dv, u8, views } from './lanes.ts';
import { asyncFrame, fdClose, type Frame, iskCallNumber as k, ok, pathUnlink, syncFrame } from './sys.ts';

export type { SockAddr };
export { AF, SOCK };
export const SOCK_NONBLOCK = 0x4000;
export const SOCK_CLOEXEC = 0x2000;
export const MSG_PEEK = 1, MSG_WAITALL = 2, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;
/** The most one recv asks for. */
export const RECV_MAX = 1 << 20;

/** What a program may give as an address: { address, port } (family from the address), { path }, or a full SockAddr. */
export type AddrLike = { family?: string; address?: string; host?: string; port?: number; path?: string };

/** A JS address as the kernel's form. Throws SysErr EINVAL (EAFNOSUPPORT for a mismatch with `domain`). */
export function toSockAddr(a: AddrLike, domain: number): SockAddr {
  if (a === null || typeof a !== 'object') throw new SysErr(E.INVAL);
  if (domain === AF.UNIX || a.path !== undefined) {
    if (domain !== AF.UNIX || typeof a.path !== 'string') throw new SysErr(E.AFNOSUPPORT);
    return { family: 'unix', path: a.path };
  }
  let address = a.address ?? a.host ?? (domain === AF.INET6 ? '::' : '0.0.0.0');
  if (address === 'localhost') address = domain === AF.INET6 ? '::1' : '127.0.0.1';
  const port = a.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SysErr(E.INVAL);
  if (domain === AF.INET) {
    if (!parseIpv4(address)) throw new SysErr(parseIpv6(address) ? E.AFNOSUPPORT : E.INVAL);
    return { family: 'inet', address, port };
  }
  const b = parseIpv6(address) ?? (parseIpv4(address) ? parseIpv6('::ffff:' + address) : null);
  if (!b) throw new SysErr(E.INVAL);
  return { family: 'inet6', address: ipv6ToString(b), port };
}

function putAddr(f: Frame, a: SockAddr | null): [number, number] {
  if (a === null) return [0, 0];
  const b = encodeSockAddr(a);
  return [f.bytes(b), b.length];
}

/** Reads a sockaddr of `len` bytes at `p` (what the kernel wrote). */
function getAddr(p: number, len: number): SockAddr | null {
  views();
  if (len < 2) return null;
  const fam = dv.getUint16(p, true);
  if (fam === AF.INET && len >= 8) {
    return { family: 'inet', port: (u8[p + 2]! << 8) | u8[p + 3]!, address: ipv4ToString(u8.subarray(p + 4, p + 8)) };
  }
  if (fam === AF.INET6 && len >= 24) {
    return { family: 'inet6', port: (u8[p + 2]! << 8) | u8[p + 3]!, address: ipv6ToString(u8.subarray(p + 8, p + 24)) };
  }
  if (fam === AF.UNIX) {
    const raw = u8.subarray(p + 2, p + len);
    if (raw.length === 0) return { family: 'unix', path: '' };
    if (raw[0] === 0) return { family: 'unix', path: '\0' + Buffer.from(raw.subarray(1)).toString('latin1') };
    let end = raw.indexOf(0);
    if (end < 0) end = raw.length;
    return { family: 'unix', path: Buffer.from(raw.subarray(0, end)).toString('utf8') };
  }
  return null;
}

const ADDR_ROOM = 128;

export function socket(domain: number, type: number, protocol = 0): number {
  return syncFrame((f) => {
    const out = f.alloc(4);
    ok(call(k('socket'), domain, type, protocol, out));
    views();
    return dv.getUint32(out, true);
  });
}

export function socketpair(domain: number, type: number): [number, number] {
  return syncFrame((f) => {
    const out = f.alloc(8);
    ok(call(k('socketpair'), domain, type, 0, out));
    views();
    return [dv.getUint32(out, true), dv.getUint32(out + 4, true)];
  });
}

export function bind(fd: number, a: SockAddr): void {
  syncFrame((f) => {
    const [p, n] = putAddr(f, a);
    ok(call(k('bind'), fd, p, n));
  });
}

export function listen(fd: number, backlog: number): void {
  ok(call(k('listen'), fd, backlog));
}

export interface Accepted {
  fd: number;
  addr: SockAddr | null;
}

export function accept(fd: number, flags = 0): Accepted {
  return syncFrame((f) => {
    const addr = f.alloc(ADDR_ROOM + 8);
    views();
    dv.setUint32(addr + ADDR_ROOM, ADDR_ROOM, true);
    ok(call(k('accept'), fd, addr, addr + ADDR_ROOM, flags, addr + ADDR_ROOM + 4));
    views();
    return { fd: dv.getUint32(addr + ADDR_ROOM + 4, true), addr: getAddr(addr, Math.min(ADDR_ROOM, dv.getUint32(addr + ADDR_ROOM, true))) };
  });
}

export function acceptAsync(fd: number, flags = 0): Promise<Accepted> {
  return asyncFrame(async (f) => {
    const addr = f.alloc(ADDR_ROOM + 8);
    views();
    dv.setUint32(addr + ADDR_ROOM, ADDR_ROOM, true);
    ok(await callAsync(k('accept'), fd, addr, addr + ADDR_ROOM, flags, addr + ADDR_ROOM + 4));
    views();
    return { fd: dv.getUint32(addr + ADDR_ROOM + 4, true), addr: getAddr(addr, Math.min(ADDR_ROOM, dv.getUint32(addr + ADDR_ROOM, true))) };
  });
}

export function connect(fd: number, a: SockAddr): void {
  syncFrame((f) => {
    const [p, n] = putAddr(f, a);
    ok(call(k('connect'), fd, p, n));
  });
}

export function connectAsync(fd: number, a: SockAddr): Promise<void> {
  return asyncFrame(async (f) => {
    const [p, n] = putAddr(f, a);
    ok(await callAsync(k('connect'), fd, p, n));
  });
}

/** Sends (all of it on a blocking stream socket); returns the count. */
export function sendto(fd: number, data: Uint8Array, flags = 0, to: SockAddr | null = null): number {
  return syncFrame((f) => {
    const out = f.alloc(4);
    const buf = data.length > 0 ? f.bytes(data) : 0;
    const [ap, an] = putAddr(f, to);
    ok(call(k('sendto'), fd, buf, data.length, flags, ap, an, out));
    views();
    return dv.getUint32(out, true);
  });
}

export function sendtoAsync(fd: number, data: Uint8Array, flags = 0, to: SockAddr | null = null): Promise<number> {
  return asyncFrame(async (f) => {
    const out = f.alloc(4);
    const buf = data.length > 0 ? f.bytes(data) : 0;
    const [ap, an] = putAddr(f, to);
    ok(await callAsync(k('sendto'), fd, buf, data.length, flags, ap, an, out));
    views();
    return dv.getUint32(out, true);
  });
}

export interface Received {
  data: Uint8Array;
  addr: SockAddr | null;
}

function received(buf: number, addr: number): Received {
  views();
  const n = dv.getUint32(addr + ADDR_ROOM + 4, true);
  const alen = Math.min(ADDR_ROOM, dv.getUint32(addr + ADDR_ROOM, true));
  // allocUnsafe + set, not slice: a fresh zeroed buffer per receive costs more than the copy.
  const data = Buffer.allocUnsafe(n);
  data.set(u8.subarray(buf, buf + n));
  return { data, addr: alen > 0 ? getAddr(addr, alen) : null };
}

export function recvfrom(fd: number, n: number, flags = 0): Received {
  const len = Math.max(0, Math.min(n, RECV_MAX));
  return syncFrame((f) => {
    const addr = f.alloc(ADDR_ROOM + 8);
    const buf = f.alloc(Math.max(len, 1));
    views();
    dv.setUint32(addr + ADDR_ROOM, ADDR_ROOM, true);
    ok(call(k('recvfrom'), fd, buf, len, flags, addr, addr + ADDR_ROOM, addr + ADDR_ROOM + 4));
    return received(buf, addr);
  });
}

export function recvfromAsync(fd: number, n: number, flags = 0): Promise<Received> {
  const len = Math.max(0, Math.min(n, RECV_MAX));
  return asyncFrame(async (f) => {
    const addr = f.alloc(ADDR_ROOM + 8);
    const buf = f.alloc(Math.max(len, 1));
    views();
    dv.setUint32(addr + ADDR_ROOM, ADDR_ROOM, true);
    ok(await callAsync(k('recvfrom'), fd, buf, len, flags, addr, addr + ADDR_ROOM, addr + ADDR_ROOM + 4));
    return received(buf, addr);
  });
}

/** how: 1 read, 2 write, 3 both. */
export function shutdown(fd: number, how: number): void {
  ok(call(k('shutdown'), fd, how));
}

function name(call0: 'getsockname' | 'getpeername', fd: number): SockAddr | null {
  return syncFrame((f) => {
    const addr = f.alloc(ADDR_ROOM + 4);
    views();
    dv.setUint32(addr + ADDR_ROOM, ADDR_ROOM, true);
    ok(call(k(call0), fd, addr, addr + ADDR_ROOM));
    views();
    return getAddr(addr, Math.min(ADDR_ROOM, dv.getUint32(addr + ADDR_ROOM, true)));
  });
}
export const getsockname = (fd: number): SockAddr | null => name('getsockname', fd);
export const getpeername = (fd: number): SockAddr | null => name('getpeername', fd);

export function setsockopt(fd: number, level: number, opt: number, value: Uint8Array): void {
  syncFrame((f) => {
    const p = f.bytes(value);
    ok(call(k('setsockopt'), fd, level, opt, p, value.length));
  });
}

export function getsockopt(fd: number, level: number, opt: number, room = 16): Uint8Array {
  return syncFrame((f) => {
    const p = f.alloc(room + 4);
    views();
    dv.setUint32(p + room, room, true);
    ok(call(k('getsockopt'), fd, level, opt, p, p + room));
    views();
    return u8.slice(p, p + dv.getUint32(p + room, true));
  });
}

export const close = (fd: number): void => fdClose(fd);
export const unlinkPath = (path: string): void => pathUnlink(path);
