// wasi_snapshot_preview1 sock_*: accept, receive, send and shut down on socket descriptors
// (net/socket.ts), sharing the paths of the isokernel module's socket calls (isk-net.ts).
// A descriptor that is not a socket is ENOTSOCK, one that is not open EBADF, as Linux.
import { E, FDFLAGS, RIFLAGS, SDFLAGS } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import { SOCK_NONBLOCK } from '../net/addr.ts';
import { MSG } from '../net/socket.ts';
import type { Process } from '../proc/process.ts';
import type { SyscallTable } from './dispatch.ts';
import type { GuestMemory } from './guest-memory.ts';
import { callSock, netCalls, sockOf } from './isk-net.ts';

/** roflags: RECV_DATA_TRUNCATED. */
const RO_TRUNCATED = 1;

/** The buffers of an iovec array, each range checked (EFAULT) before any I/O. */
function iovecs(m: GuestMemory, iovs: number, count: number): Uint8Array[] {
  const base = m.check(iovs, (count >>> 0) * 8);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count >>> 0; i++) {
    const ptr = m.dv.getUint32(base + i * 8, true);
    const len = m.dv.getUint32(base + i * 8 + 4, true);
    const v = m.bytes(ptr, len);
    if (len > 0) out.push(v);
  }
  return out;
}

/** One buffer for several (a copy when there are several): sends and receives go whole. */
function joined(bufs: Uint8Array[]): Uint8Array {
  if (bufs.length === 1) return bufs[0]!;
  let n = 0;
  for (const b of bufs) n += b.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const b of bufs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

export function sockSyscalls(k: Kernel): SyscallTable {
  const net = netCalls(k);
  return {
    sock_accept: {
      params: ['i32', 'i32', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, fd: number, flags: number, out: number) => {
        const s = callSock(p, fd);
        if (flags & ~FDFLAGS.NONBLOCK) fail(E.INVAL);
        p.mem!.check(out, 4);
        const r = net.accept(p, s, flags & FDFLAGS.NONBLOCK ? SOCK_NONBLOCK : 0);
        if (typeof r === 'number') return r;
        p.mem!.setU32(out, r.fd);
        return 0;
      },
    },
    sock_recv: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, fd: number, iovs: number, count: number, riflags: number, outLen: number, outFlags: number) => {
        const m = p.mem!;
        const s = callSock(p, fd);
        if (riflags & ~(RIFLAGS.RECV_PEEK | RIFLAGS.RECV_WAITALL)) fail(E.NOTSUP);
        m.check(outLen, 4);
        m.check(outFlags, 2);
        const bufs = iovecs(m, iovs, count);
        const flags = (riflags & RIFLAGS.RECV_PEEK ? MSG.PEEK : 0) | (riflags & RIFLAGS.RECV_WAITALL ? MSG.WAITALL : 0);
        let total = 0;
        for (const b of bufs) total += b.length;
        if (total === 0) {
          m.setU32(outLen, 0);
          m.setU16(outFlags, 0);
          return 0;
        }
        // Several buffers: received into one, then scattered (a datagram must come whole).
        const dst = bufs.length === 1 ? bufs[0]! : new Uint8Array(total);
        const r = net.recv(p, s, dst, flags);
        if (typeof r === 'number') return r;
        if (bufs.length > 1) {
          let at = 0;
          for (const b of bufs) {
            if (at >= r.n) break;
            const n = Math.min(b.length, r.n - at);
            b.set(dst.subarray(at, at + n));
            at += n;
          }
        }
        m.setU32(outLen, r.n);
        m.setU16(outFlags, r.truncated ? RO_TRUNCATED : 0);
        return 0;
      },
    },
    sock_send: {
      params: ['i32', 'i32', 'i32', 'i32', 'i32'], blocking: true, restartable: true,
      handler: (p: Process, fd: number, iovs: number, count: number, siflags: number, out: number) => {
        const m = p.mem!;
        const s = callSock(p, fd);
        if (siflags !== 0) fail(E.NOTSUP);
        m.check(out, 4);
        const bufs = iovecs(m, iovs, count);
        const src = bufs.length === 0 ? new Uint8Array(0) : joined(bufs);
        const r = net.send(p, s, src, 0, null);
        if (r < 0) return r;
        m.setU32(out, r);
        return 0;
      },
    },
    sock_shutdown: {
      params: ['i32', 'i32'],
      handler: (p: Process, fd: number, how: number) => {
        const s = sockOf(p, fd);
        if (how === 0 || (how & ~(SDFLAGS.RD | SDFLAGS.WR)) !== 0) fail(E.INVAL);
        s.shutdown(how);
        return 0;
      },
    },
  };
}
