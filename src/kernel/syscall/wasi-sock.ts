// wasi_snapshot_preview1 sock_*: the kernel has no sockets yet (they come with the network
// issue), so every descriptor is answered as Linux answers for a non-socket: EBADF for a
// descriptor that is not open, ENOTSOCK for one that is.
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Process } from '../proc/process.ts';
import type { SyscallTable } from './dispatch.ts';

function notSocket(p: Process, fd: number): number {
  p.fds.get(fd);
  return fail(E.NOTSOCK);
}

export function sockSyscalls(): SyscallTable {
  return {
    sock_accept: { params: ['i32', 'i32', 'i32'], blocking: true, handler: (p: Process, fd: number) => notSocket(p, fd) },
    sock_recv: { params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], blocking: true, handler: (p: Process, fd: number) => notSocket(p, fd) },
    sock_send: { params: ['i32', 'i32', 'i32', 'i32', 'i32'], blocking: true, handler: (p: Process, fd: number) => notSocket(p, fd) },
    sock_shutdown: { params: ['i32', 'i32'], handler: (p: Process, fd: number) => notSocket(p, fd) },
  };
}
