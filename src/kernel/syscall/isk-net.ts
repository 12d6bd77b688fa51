// The isokernel module, sockets: socket, socketpair, bind, listen, accept, connect, sendto,
// recvfrom, shutdown, getsockname, getpeername, setsockopt, getsockopt (docs/abi.md,
// "Sockets"). The work is the socket's (net/socket.ts and its kinds); this layer checks
// arguments and guest memory, applies O_NONBLOCK, MSG_DONTWAIT, SO_RCVTIMEO/SO_SNDTIMEO and
// MSG_WAITALL, raises SIGPIPE, and sleeps (BLOCK) when a socket says WOULD_BLOCK. The WASI
// sock_* calls (wasi-sock.ts) share the send and receive paths below.
import { SIG } from '../../abi/signals.ts';
import { E } from '../../abi/wasi.ts';
import { countIo } from '../acct/acct.ts';
import { fail, SysError } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import { AF, readSockAddr, type SockAddr, SOCK, SOCK_CLOEXEC, SOCK_NONBLOCK, writeSockAddr } from '../net/addr.ts';
import { clampBuf, MSG, RIGHTS_SOCKET, type Received, SHUT, Socket, WOULD_BLOCK } from '../net/socket.ts';
import { TcpSocket } from '../net/tcp.ts';
import { BLOCK, type Process } from '../proc/process.ts';
import type { SyscallTable } from './dispatch.ts';

/** Levels and options (wasi-libc's SOL_SOCKET; Linux's numbers for the rest: docs/abi.md). */
export const SOL_SOCKET = 0x7fffffff;
export const IPPROTO_TCP = 6;
export const IPPROTO_IPV6 = 41;
export const SO = {
  REUSEADDR: 2, TYPE: 3, ERROR: 4, BROADCAST: 6, SNDBUF: 7, RCVBUF: 8, KEEPALIVE: 9, LINGER: 13, REUSEPORT: 15,
  RCVLOWAT: 18, SNDLOWAT: 19, ACCEPTCONN: 30, PROTOCOL: 38, DOMAIN: 39, RCVTIMEO: 66, SNDTIMEO: 67,
} as const;
export const TCP_NODELAY = 1;
const TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5, TCP_KEEPCNT = 6;
export const IPV6_V6ONLY = 26;

/** The socket behind fd. Errors: EBADF, ENOTSOCK. */
export function sockOf(p: Process, fd: number): Socket {
  const f = p.fds.get(fd).file;
  if (!(f instanceof Socket)) return fail(E.NOTSOCK);
  return f;
}

/**
 * The socket of a call that may block: looked up at the first attempt and kept for the
 * retries (a Linux call holds the file, not the number). Errors: EBADF (not open, or closed
 * while the call slept), ENOTSOCK.
 */
export function callSock(p: Process, fd: number): Socket {
  const st = progress(p);
  if (st.sock === null) st.sock = sockOf(p, fd);
  else if (st.sock.closed) fail(E.BADF);
  return st.sock;
}

/** Whether the socket has a peer (peerAddr answers ENOTCONN otherwise). */
function isConnected(s: Socket): boolean {
  try {
    s.peerAddr();
    return true;
  } catch (e) {
    if (e instanceof SysError) return false;
    throw e;
  }
}

/** What a blocking socket call keeps across its attempts (p.restart). */
interface Progress {
  /** Bytes moved so far (sends; MSG_WAITALL receives). */
  moved: number;
  /** SO_RCVTIMEO / SO_SNDTIMEO: the monotonic deadline, once the call first waited. */
  deadline: bigint;
  /** bind/connect/listen: the operation was started, and what it waits for. */
  started: boolean;
  op: Promise<void> | null;
  /**
   * The socket the call found at its first attempt. A retry uses it, not the descriptor
   * number: closed meanwhile (EBADF), the number may already name another socket.
   */
  sock: Socket | null;
}

function progress(p: Process): Progress {
  let r = p.restart as Progress | null;
  if (r === null || typeof r !== 'object' || !('moved' in r)) p.restart = r = { moved: 0, deadline: -1n, started: false, op: null, sock: null };
  return r;
}

export function netCalls(k: Kernel) {
  /** Sleeps on `wait`, or on the socket timeout's deadline: EAGAIN once it passes (SO_RCVTIMEO/SO_SNDTIMEO). */
  const sleep = (p: Process, wait: Promise<void>, timeo: bigint, st: Progress): number => {
    if (timeo === 0n) return p.block(wait);
    const now = k.clock.monotonic();
    if (st.deadline < 0n) st.deadline = now + timeo;
    if (now >= st.deadline) fail(E.AGAIN);
    return p.block(Promise.race([wait, k.sleepUntil(p, st.deadline)]));
  };

  /**
   * send: a stream socket moves every byte before it returns when blocking (a signal or the
   * timeout ends it with the count so far); otherwise what fits, EAGAIN for nothing. EPIPE
   * raises SIGPIPE unless MSG_NOSIGNAL. Returns the count, or BLOCK.
   */
  const send = (p: Process, s: Socket, src: Uint8Array, flags: number, to: SockAddr | null): number => {
    const st = progress(p);
    const nb = s.nonblocking || (flags & MSG.DONTWAIT) !== 0;
    const stream = s.type === SOCK.STREAM;
    for (;;) {
      let n: number;
      try {
        n = s.sendto(p, st.moved === 0 ? src : src.subarray(st.moved), flags, to);
      } catch (e) {
        if (st.moved > 0) break;
        if (e instanceof SysError && e.errno === E.PIPE && (flags & MSG.NOSIGNAL) === 0) k.signal(p, SIG.PIPE);
        throw e;
      }
      if (n === WOULD_BLOCK) {
        if (nb || (p.intr !== 0 && st.moved > 0)) {
          if (st.moved === 0) fail(E.AGAIN);
          break;
        }
        if (st.moved > 0 && s.opt.sndtimeo !== 0n && st.deadline >= 0n && k.clock.monotonic() >= st.deadline) break;
        return sleep(p, s.waitWritable(), s.opt.sndtimeo, st);
      }
      countIo(p.acct, s, n, true);
      st.moved += n;
      if (!stream || st.moved >= src.length || src.length === 0) break;
    }
    return st.moved;
  };

  /** recv: what is there (at least a byte), or with MSG_WAITALL on a stream, all of dst unless the stream ends. */
  const recv = (p: Process, s: Socket, dst: Uint8Array, flags: number): Received | number => {
    const st = progress(p);
    const nb = s.nonblocking || (flags & MSG.DONTWAIT) !== 0;
    const all = (flags & MSG.WAITALL) !== 0 && (flags & MSG.PEEK) === 0 && s.type === SOCK.STREAM;
    let last: Received = { n: 0, from: null, truncated: false };
    for (;;) {
      let r: Received | typeof WOULD_BLOCK;
      try {
        r = s.recvfrom(st.moved === 0 ? dst : dst.subarray(st.moved), flags);
      } catch (e) {
        if (st.moved > 0) break;
        throw e;
      }
      if (r === WOULD_BLOCK) {
        if (nb || (p.intr !== 0 && st.moved > 0)) {
          if (st.moved === 0) fail(E.AGAIN);
          break;
        }
        if (st.moved > 0 && s.opt.rcvtimeo !== 0n && st.deadline >= 0n && k.clock.monotonic() >= st.deadline) break;
        return sleep(p, s.waitReadable(), s.opt.rcvtimeo, st);
      }
      last = r;
      countIo(p.acct, s, r.n, false);
      st.moved += r.n;
      if (!all || r.n === 0 || st.moved >= dst.length) break;
    }
    return { n: st.moved, from: last.from, truncated: last.truncated };
  };

  /** bind, then (for listen of an unbound socket) what follows; BLOCK while the host works. */
  const bindAndWait = (p: Process, s: Socket, a: SockAddr | null, st: Progress): number => {
    if (!st.started) {
      if (a === null) fail(E.AFNOSUPPORT);
      const w = s.bind(p, a);
      st.started = true;
      if (w === null) return 0;
      st.op = w;
    }
    const r = s.opResult();
    // The host binds within the microtasks that run now (Node's 'listening'); Linux's bind and
    // listen never sleep, so a caught signal meanwhile (SIGCHLD from a child that ends in
    // those microtasks) must not end them with EINTR, which left the socket unable to listen.
    if (r === WOULD_BLOCK) return p.blockThrough(st.op ?? s.waitWritable());
    if (r !== 0) fail(r);
    return 0;
  };

  const unspecified = (s: Socket): SockAddr => s.domain === AF.UNIX ? { family: 'unix', path: '' }
    : s.domain === AF.INET ? { family: 'inet', address: '0.0.0.0', port: 0 } : { family: 'inet6', address: '::', port: 0 };

  /** accept: a connected socket from the queue, installed with `flags` (SOCK_NONBLOCK, SOCK_CLOEXEC). */
  const accept = (p: Process, s: Socket, flags: number): { fd: number; sock: Socket } | number => {
    if (s.type !== SOCK.STREAM) fail(E.NOTSUP);
    if (!s.listening) fail(E.INVAL);
    if (!p.fds.hasRoom()) fail(E.MFILE);
    const c = s.accept();
    if (c === WOULD_BLOCK) {
      if (s.nonblocking) fail(E.AGAIN);
      return sleep(p, s.waitReadable(), s.opt.rcvtimeo, progress(p));
    }
    if (flags & SOCK_NONBLOCK) c.flags |= 4;
    try {
      return { fd: p.fds.install(c, RIGHTS_SOCKET, 0, null, 0, 0, (flags & SOCK_CLOEXEC) !== 0), sock: c };
    } catch (e) {
      c.close();
      throw e;
    }
  };

  return { send, recv, accept, bindAndWait, unspecified };
}

export function iskNetSyscalls(k: Kernel): SyscallTable {
  const net = netCalls(k);

  const install = (p: Process, s: Socket, cloexec: boolean): number => {
    try {
      return p.fds.install(s, RIGHTS_SOCKET, 0, null, 0, 0, cloexec);
    } catch (e) {
      s.close();
      throw e;
    }
  };

  /** The type and its flags (Linux: the type in the low 4 bits; other flag bits are EINVAL). */
  const typeFlags = (type: number): [number, number] => {
    const flags = type & ~0xf;
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) fail(E.INVAL);
    return [type & 0xf, flags];
  };

  /** An int option's value (EINVAL if shorter than 4 bytes). */
  const intOpt = (p: Process, val: number, len: number): number => {
    if ((len >>> 0) < 4) fail(E.INVAL);
    return p.mem!.u32(val) | 0;
  };

  /** A timeval for SO_RCVTIMEO/SO_SNDTIMEO: 16 bytes { i64 sec, i64 usec } (or Linux's old 8-byte { i32, i32 }). */
  const timeOpt = (p: Process, val: number, len: number): bigint => {
    const m = p.mem!;
    let sec: bigint, usec: bigint;
    if ((len >>> 0) >= 16) {
      sec = BigInt.asIntN(64, m.u64(val));
      usec = BigInt.asIntN(64, m.u64(val + 8));
    } else if ((len >>> 0) >= 8) {
      sec = BigInt(m.u32(val) | 0);
      usec = BigInt(m.u32(val + 4) | 0);
    } else return fail(E.INVAL);
    if (usec < 0n || usec >= 1_000_000n) fail(E.DOM);
    if (sec < 0n) return 0n; // Linux: a negative time is no timeout
    return sec * 1_000_000_000n + usec * 1000n;
  };

  const writeOpt = (p: Process, val: number, lenPtr: number, bytes: Uint8Array): void => {
    const m = p.mem!;
    const room = m.u32(lenPtr);
    if (room > 0x7fffffff) fail(E.INVAL);
    const n = Math.min(room, bytes.length);
    m.check(val, n);
    m.write(val, bytes.subarray(0, n));
    m.setU32(lenPtr, n);
  };
  const intBytes = (v: number): Uint8Array => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v, true);
    return b;
  };
  const timeBytes = (ns: bigint): Uint8Array => {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setBigInt64(0, ns / 1_000_000_000n, true);
    dv.setBigInt64(8, (ns % 1_000_000_000n) / 1000n, true);
    return b;
  };

  return {
    socket: {
      params: ['i32', 'i32', 'i32', 'i32'], gate: true,
      handler: (p: Process, domain: number, type: number, protocol: number, out: number) => {
        p.mem!.check(out, 4);
        const [t, flags] = typeFlags(type);
        const s = k.net.create(domain, t, protocol, flags & SOCK_NONBLOCK ? 4 : 0);
        p.mem!.setU32(out, install(p, s, (flags & SOCK_CLOEXEC) !== 0));
        return 0;
      },
    },
    socketpair: {
      params: ['i32', 'i32', 'i32', 'i32'], gate: true,
      handler: (p: Process, domain: number, type: number, protocol: number, out: number) => {
        const m = p.mem!;
        m.check(out, 8);
        const [t, flags] = typeFlags(type);
        if (!p.fds.hasRoom(2)) fail(E.MFILE);
        const [a, b] = k.net.pair(domain, t, protocol, flags & SOCK_NONBLOCK ? 4 : 0);
        const cloexec = (flags & SOCK_CLOEXEC) !== 0;
        const fa = install(p, a, cloexec);
        let fb: number;
        try {
          fb = install(p, b, cloexec);
        } catch (e) {
          p.fds.close(fa);
          throw e;
        }
        m.setU32(out, fa);
        m.setU32(out + 4, fb);
        return 0;
      },
    },
    bind: {
      params: ['i32', 'i32', 'i32'], blocking: true,
      handler: (p: Process, fd: number, addr: number, len: number) => {
        const s = callSock(p, fd);
        const st = progress(p);
        return net.bindAndWait(p, s, st.started ? null : readSockAddr(p.mem!, addr, len, s.domain), st);
      },
    },
    listen: {
      params: ['i32', 'i32'], blocking: true,
      handler: (p: Process, fd: number, backlog: number) => {
        const s = callSock(p, fd);
        if (s.type !== SOCK.STREAM) fail(E.NOTSUP);
        const st = progress(p);
        // Linux binds an unbound socket to an ephemeral port (an abstract name for AF_UNIX).
        const unbound = s instanceof TcpSocket ? !s.bound : s.localAddr().family === 'unix' && (s.localAddr() as { path: string }).path === '';
        // A connected Unix socket (a socketpair's) is EINVAL, as Linux, before anything names it.
        if (unbound && !st.started && !(s instanceof TcpSocket) && isConnected(s)) fail(E.INVAL);
        if ((unbound && !s.listening) || st.started) {
          const r = net.bindAndWait(p, s, net.unspecified(s), st);
          if (r !== 0) return r;
        }
        s.listen(backlog);
        return 0;
      },
    },
    accept: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, fd: number, addr: number, lenPtr: number, flags: number, out: number) => {
        const m = p.mem!;
        const s = callSock(p, fd);
        if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) fail(E.INVAL);
        m.check(out, 4);
        if (addr !== 0) {
          if (lenPtr === 0) fail(E.FAULT); // an address with no length to say its room: Linux's EFAULT
          const room = m.u32(lenPtr);
          if (room > 0x7fffffff) fail(E.INVAL);
          m.check(addr, room);
        }
        const r = net.accept(p, s, flags);
        if (typeof r === 'number') return r;
        try {
          writeSockAddr(m, addr, lenPtr, r.sock.peerAddr());
        } catch { /* the peer went: an empty address, as Linux */ }
        m.setU32(out, r.fd);
        return 0;
      },
    },
    connect: {
      params: ['i32', 'i32', 'i32'], blocking: true,
      handler: (p: Process, fd: number, addr: number, len: number) => {
        const s = callSock(p, fd);
        const st = progress(p);
        if (!st.started) {
          const a = readSockAddr(p.mem!, addr, len, s.domain);
          st.started = true;
          const w = s.connect(p, a);
          st.op = w;
          if (w === null) {
            const r = s.opResult();
            if (r !== 0 && r !== WOULD_BLOCK) fail(r);
            if (r === 0) return 0;
          }
          if (s.nonblocking && s instanceof TcpSocket) fail(E.INPROGRESS);
        }
        const r = s.opResult();
        if (r === WOULD_BLOCK) return p.block(s.waitWritable()); // woken by the outcome (or room in a Unix listener's queue)
        if (r !== 0) fail(r);
        return 0;
      },
    },
    sendto: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, fd: number, buf: number, len: number, flags: number, addr: number, alen: number, out: number) => {
        const m = p.mem!;
        const s = callSock(p, fd);
        m.check(out, 4);
        const src = m.bytes(buf, len);
        const to = addr !== 0 && s.type === SOCK.DGRAM ? readSockAddr(m, addr, alen, s.domain) : null;
        const r = net.send(p, s, src, flags, to);
        if (r === BLOCK) return r;
        m.setU32(out, r);
        return 0;
      },
    },
    recvfrom: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, fd: number, buf: number, len: number, flags: number, addr: number, lenPtr: number, out: number) => {
        const m = p.mem!;
        const s = callSock(p, fd);
        m.check(out, 4);
        if (addr !== 0) { // checked before receiving, as accept's: a bad address must not lose the datagram
          if (lenPtr === 0) fail(E.FAULT);
          const room = m.u32(lenPtr);
          if (room > 0x7fffffff) fail(E.INVAL);
          m.check(addr, room);
        }
        const dst = m.bytes(buf, len);
        const r = net.recv(p, s, dst, flags);
        if (typeof r === 'number') return r;
        if (addr !== 0) {
          if (r.from) writeSockAddr(m, addr, lenPtr, r.from);
          else m.setU32(lenPtr, 0);
        }
        m.setU32(out, r.n);
        return 0;
      },
    },
    shutdown: {
      params: ['i32', 'i32'], gate: true,
      handler: (p: Process, fd: number, how: number) => {
        const s = sockOf(p, fd);
        if (how < SHUT.RD || how > (SHUT.RD | SHUT.WR)) fail(E.INVAL);
        s.shutdown(how);
        return 0;
      },
    },
    getsockname: {
      params: ['i32', 'i32', 'i32'], gate: true,
      handler: (p: Process, fd: number, addr: number, lenPtr: number) => {
        const s = sockOf(p, fd);
        p.mem!.check(lenPtr, 4);
        writeSockAddr(p.mem!, addr, lenPtr, s.localAddr());
        return 0;
      },
    },
    getpeername: {
      params: ['i32', 'i32', 'i32'], gate: true,
      handler: (p: Process, fd: number, addr: number, lenPtr: number) => {
        const s = sockOf(p, fd);
        p.mem!.check(lenPtr, 4);
        writeSockAddr(p.mem!, addr, lenPtr, s.peerAddr());
        return 0;
      },
    },
    setsockopt: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32'], gate: true,
      handler: (p: Process, fd: number, level: number, name: number, val: number, len: number) => {
        const s = sockOf(p, fd);
        const o = s.opt;
        const inet = s.domain !== AF.UNIX;
        if (level === SOL_SOCKET) {
          switch (name) {
            case SO.REUSEADDR: o.reuseaddr = intOpt(p, val, len) !== 0; break;
            case SO.REUSEPORT: o.reuseport = intOpt(p, val, len) !== 0; break;
            case SO.KEEPALIVE: o.keepalive = intOpt(p, val, len) !== 0; s.optionChanged('keepalive'); break;
            case SO.BROADCAST: o.broadcast = intOpt(p, val, len) !== 0; s.optionChanged('broadcast'); break;
            case SO.RCVBUF: o.rcvbuf = clampBuf(intOpt(p, val, len)); s.optionChanged('rcvbuf'); break;
            case SO.SNDBUF: o.sndbuf = clampBuf(intOpt(p, val, len)); s.optionChanged('sndbuf'); break;
            case SO.RCVTIMEO: o.rcvtimeo = timeOpt(p, val, len); break;
            case SO.SNDTIMEO: o.sndtimeo = timeOpt(p, val, len); break;
            case SO.LINGER: {
              if ((len >>> 0) < 8) fail(E.INVAL);
              o.linger = [p.mem!.u32(val) !== 0, p.mem!.u32(val + 4) | 0];
              break;
            }
            case SO.RCVLOWAT: case SO.SNDLOWAT: intOpt(p, val, len); break;
            case SO.TYPE: case SO.ERROR: case SO.ACCEPTCONN: case SO.PROTOCOL: case SO.DOMAIN: fail(E.NOPROTOOPT); break;
            default: fail(E.NOPROTOOPT);
          }
          return 0;
        }
        if (level === IPPROTO_TCP) {
          if (!(s instanceof TcpSocket)) fail(E.NOTSUP);
          switch (name) {
            case TCP_NODELAY: o.nodelay = intOpt(p, val, len) !== 0; s.optionChanged('nodelay'); break;
            case TCP_KEEPIDLE: case TCP_KEEPINTVL: case TCP_KEEPCNT:
              if (intOpt(p, val, len) < 1) fail(E.INVAL);
              break;
            default: fail(E.NOPROTOOPT);
          }
          return 0;
        }
        if (level === IPPROTO_IPV6 && inet) {
          if (s.domain !== AF.INET6) fail(E.NOPROTOOPT);
          if (name !== IPV6_V6ONLY) fail(E.NOPROTOOPT);
          o.v6only = intOpt(p, val, len) !== 0;
          return 0;
        }
        return fail(E.NOPROTOOPT);
      },
    },
    getsockopt: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32'], gate: true,
      handler: (p: Process, fd: number, level: number, name: number, val: number, lenPtr: number) => {
        const s = sockOf(p, fd);
        const o = s.opt;
        const m = p.mem!;
        const room = m.u32(lenPtr);
        let v: number | Uint8Array;
        if (level === SOL_SOCKET) {
          switch (name) {
            case SO.REUSEADDR: v = +o.reuseaddr; break;
            case SO.REUSEPORT: v = +o.reuseport; break;
            case SO.KEEPALIVE: v = +o.keepalive; break;
            case SO.BROADCAST: v = +o.broadcast; break;
            case SO.RCVBUF: v = o.rcvbuf; break;
            case SO.SNDBUF: v = o.sndbuf; break;
            case SO.TYPE: v = s.type; break;
            case SO.DOMAIN: v = s.domain; break;
            case SO.PROTOCOL: v = s.domain === AF.UNIX ? 0 : s.type === SOCK.STREAM ? 6 : 17; break;
            case SO.ACCEPTCONN: v = +s.listening; break;
            case SO.RCVLOWAT: case SO.SNDLOWAT: v = 1; break;
            case SO.ERROR: {
              if (room < 4) fail(E.INVAL);
              m.check(val, 4); // before the error is taken: a bad pointer must not lose it
              let e = s.error;
              s.error = 0;
              if (!s.connecting) {
                const r = s.opResult(); // a non-blocking connect's failure, taken with it
                if (e === 0 && r !== WOULD_BLOCK) e = r;
              }
              v = e;
              break;
            }
            case SO.RCVTIMEO: v = timeBytes(o.rcvtimeo); break;
            case SO.SNDTIMEO: v = timeBytes(o.sndtimeo); break;
            case SO.LINGER: {
              const b = new Uint8Array(8);
              new DataView(b.buffer).setInt32(0, +o.linger[0], true);
              new DataView(b.buffer).setInt32(4, o.linger[1], true);
              v = b;
              break;
            }
            default: return fail(E.NOPROTOOPT);
          }
        } else if (level === IPPROTO_TCP) {
          if (!(s instanceof TcpSocket)) return fail(E.NOTSUP);
          if (name === TCP_NODELAY) v = +o.nodelay;
          else return fail(E.NOPROTOOPT);
        } else if (level === IPPROTO_IPV6 && s.domain === AF.INET6 && name === IPV6_V6ONLY) {
          v = +o.v6only;
        } else return fail(E.NOPROTOOPT);
        if (typeof v === 'number') {
          if (room < 4) fail(E.INVAL);
          v = intBytes(v);
        }
        writeOpt(p, val, lenPtr, v);
        return 0;
      },
    },
  };
}

export { RIGHTS_SOCKET };
