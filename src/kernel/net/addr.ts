// Socket addresses: the kernel's form ({ family, address, port } or { family: 'unix', path })
// and the bytes of a `struct sockaddr` as the `isokernel` module's socket calls take and give
// them (docs/abi.md, "Sockets"): wasi-libc's numbering and layout, little-endian but for the
// port and address, which are in network order as everywhere.
//
//   family u16 @0: 1 AF_INET, 2 AF_INET6, 3 AF_UNIX (wasi-libc's <sys/socket.h>)
//   AF_INET   port u16 BE @2, address 4 bytes @4                          (16 bytes)
//   AF_INET6  port u16 BE @2, flowinfo u32 @4, address 16 bytes @8, scope_id u32 @24 (28)
//   AF_UNIX   path @2, up to 108 bytes, NUL-terminated unless it fills them; a first byte 0
//             is Linux's abstract namespace (the name is the rest, up to addrlen)
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';

export const AF = { UNSPEC: 0, INET: 1, INET6: 2, UNIX: 3 } as const;
/** Socket types: WASI's filetypes, as wasi-libc numbers SOCK_DGRAM and SOCK_STREAM. */
export const SOCK = { DGRAM: 5, STREAM: 6 } as const;
export const SOCK_NONBLOCK = 0x4000;
export const SOCK_CLOEXEC = 0x2000;
export const SUN_PATH_MAX = 108;
export const SIZEOF_SOCKADDR_IN = 16;
export const SIZEOF_SOCKADDR_IN6 = 28;

export interface InetAddr {
  family: 'inet' | 'inet6';
  /** Text form: dotted quad, or RFC 5952 IPv6. */
  address: string;
  port: number;
  flowinfo?: number;
  scopeId?: number;
}
export interface UnixAddr {
  family: 'unix';
  /** '' for an unnamed socket; a path; or '\0name' in the abstract namespace. */
  path: string;
}
export type SockAddr = InetAddr | UnixAddr;

export function familyName(af: number): 'inet' | 'inet6' | 'unix' {
  return af === AF.INET ? 'inet' : af === AF.INET6 ? 'inet6' : 'unix';
}

// ---- text ⇄ bytes ----

/** 4 bytes → dotted quad. */
export function ipv4ToString(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** 16 bytes → RFC 5952 text (longest run of two or more zero groups as '::'; v4-mapped as ::ffff:a.b.c.d). */
export function ipv6ToString(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${ipv4ToString(b.subarray(12))}`;
  }
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const V4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX4 = /^[0-9a-fA-F]{1,4}$/;

/** Dotted quad → 4 bytes, or null. (No node:net here: JS processes' runtime uses this file too.) */
export function parseIpv4(s: string): Uint8Array | null {
  if (!V4.test(s)) return null;
  return Uint8Array.from(s.split('.').map(Number));
}

/** IPv6 text (with '::', an embedded IPv4 tail, no zone) → 16 bytes, or null. */
export function parseIpv6(s: string): Uint8Array | null {
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  if (s.length < 2 || s.length > 45 || s.indexOf('::') !== s.lastIndexOf('::')) return null;
  const out = new Uint8Array(16);
  let tail4: Uint8Array | null = null;
  const last = s.lastIndexOf(':');
  if (s.indexOf('.', last) >= 0) {
    tail4 = parseIpv4(s.slice(last + 1));
    if (!tail4) return null;
    s = s.slice(0, last + 1) + '0:0';
  }
  const [head, rest] = s.includes('::') ? s.split('::') as [string, string] : [s, null];
  const hg = head === '' ? [] : head.split(':');
  const tg = rest === null || rest === '' ? [] : rest.split(':');
  const groups = rest === null ? hg : [...hg, ...new Array<string>(8 - hg.length - tg.length).fill('0'), ...tg];
  if (groups.length !== 8 || hg.length + tg.length > (rest === null ? 8 : 7)) return null;
  if (!groups.every((x) => HEX4.test(x))) return null;
  groups.forEach((x, i) => {
    const v = parseInt(x, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  if (tail4) out.set(tail4, 12);
  return out;
}

/** An address as the host's socket reports it (an IPv4-mapped IPv6 address stays IPv6). */
export function normalizeAddress(family: 'inet' | 'inet6', address: string): string {
  const b = family === 'inet' ? parseIpv4(address) : parseIpv6(address);
  if (!b) return address;
  return family === 'inet' ? ipv4ToString(b) : ipv6ToString(b);
}

export function isLoopback(a: InetAddr): boolean {
  if (a.family === 'inet') return a.address.startsWith('127.');
  return a.address === '::1' || a.address.startsWith('::ffff:127.');
}
export function isUnspecified(a: InetAddr): boolean {
  return a.family === 'inet' ? a.address === '0.0.0.0' : a.address === '::';
}

// ---- struct sockaddr ----

interface Mem {
  check(ptr: number, len: number): number;
  bytes(ptr: number, len: number): Uint8Array;
  readonly dv: DataView;
}

/**
 * Reads a sockaddr of `len` bytes at `ptr` for a socket of family `af`.
 * Errors: EFAULT; EINVAL (too short for its family, a path too long); EAFNOSUPPORT (another
 * family than the socket's; AF_UNSPEC is EAFNOSUPPORT too, but for `allowUnspec`).
 */
export function readSockAddr(m: Mem, ptr: number, len: number, af: number): SockAddr | null {
  len >>>= 0;
  if (len < 2) fail(E.INVAL);
  if (len > 4096) fail(E.INVAL);
  const b = m.bytes(ptr, len);
  const family = b[0]! | (b[1]! << 8);
  if (family === AF.UNSPEC) return null;
  if (family !== af) fail(E.AFNOSUPPORT);
  if (af === AF.INET) {
    if (len < SIZEOF_SOCKADDR_IN) fail(E.INVAL);
    return { family: 'inet', port: (b[2]! << 8) | b[3]!, address: ipv4ToString(b.subarray(4, 8)) };
  }
  if (af === AF.INET6) {
    if (len < SIZEOF_SOCKADDR_IN6) fail(E.INVAL);
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return {
      family: 'inet6', port: (b[2]! << 8) | b[3]!, address: ipv6ToString(b.subarray(8, 24)),
      flowinfo: dv.getUint32(4, true), scopeId: dv.getUint32(24, true),
    };
  }
  // AF_UNIX
  const raw = b.subarray(2, Math.min(len, 2 + SUN_PATH_MAX + 1));
  if (raw.length === 0) return { family: 'unix', path: '' }; // autobind (Linux): unnamed here
  if (raw[0] === 0) return { family: 'unix', path: '\0' + Buffer.from(raw.subarray(1)).toString('latin1') };
  let end = raw.indexOf(0);
  if (end < 0) end = raw.length;
  if (end > SUN_PATH_MAX) fail(E.INVAL);
  const path = Buffer.from(raw.subarray(0, end)).toString('utf8');
  return { family: 'unix', path };
}

/** The bytes of a sockaddr for `a` (its full length: Linux's addrlen). */
export function encodeSockAddr(a: SockAddr): Uint8Array {
  if (a.family === 'unix') {
    if (a.path === '') return Uint8Array.of(AF.UNIX, 0);
    const abstract = a.path.startsWith('\0');
    const name = abstract ? Buffer.from(a.path, 'latin1') : Buffer.from(a.path, 'utf8');
    const out = new Uint8Array(2 + name.length + (abstract ? 0 : 1));
    out[0] = AF.UNIX;
    out.set(name, 2);
    return out;
  }
  if (a.family === 'inet') {
    const out = new Uint8Array(SIZEOF_SOCKADDR_IN);
    out[0] = AF.INET;
    out[2] = a.port >> 8;
    out[3] = a.port & 0xff;
    out.set(parseIpv4(a.address) ?? new Uint8Array(4), 4);
    return out;
  }
  const out = new Uint8Array(SIZEOF_SOCKADDR_IN6);
  const dv = new DataView(out.buffer);
  out[0] = AF.INET6;
  out[2] = a.port >> 8;
  out[3] = a.port & 0xff;
  dv.setUint32(4, a.flowinfo ?? 0, true);
  out.set(parseIpv6(a.address) ?? new Uint8Array(16), 8);
  dv.setUint32(24, a.scopeId ?? 0, true);
  return out;
}

/**
 * Writes `a` for getsockname/accept/recvfrom: `lenPtr` holds the room (u32); the address is
 * cut to it, and `lenPtr` gets the full length, as Linux does. `ptr` 0 writes nothing.
 * Errors: EFAULT; EINVAL (a room over 2^31, as Linux's negative socklen).
 */
export function writeSockAddr(m: Mem & { setU32(p: number, v: number): void; u32(p: number): number; write(p: number, b: Uint8Array): void },
  ptr: number, lenPtr: number, a: SockAddr): void {
  if (ptr === 0 || lenPtr === 0) return;
  const room = m.u32(lenPtr);
  if (room > 0x7fffffff) fail(E.INVAL);
  const bytes = encodeSockAddr(a);
  const n = Math.min(room, bytes.length);
  m.check(ptr, n);
  m.write(ptr, n === bytes.length ? bytes : bytes.subarray(0, n));
  m.setU32(lenPtr, bytes.length);
}

export function formatAddr(a: SockAddr): string {
  if (a.family === 'unix') return a.path.startsWith('\0') ? `@${a.path.slice(1)}` : a.path || '(unnamed)';
  return a.family === 'inet6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}
