// The isokernel module, resource limits: getrlimit, setrlimit, prlimit (docs/abi.md,
// "Resource limits"). The model — numbers, units, soft and hard, enforcement — is
// proc/rlimit.ts. A limit is 16 bytes, Linux's struct rlimit: { rlim_cur: u64, rlim_max: u64 },
// RLIM_INFINITY = 2^64 - 1.
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import { cpuLimitReached, getLimit, setLimit } from '../proc/rlimit.ts';
import type { SyscallTable } from './dispatch.ts';

const RLIMIT_SIZE = 16;

export function iskRlimitSyscalls(k: Kernel): SyscallTable {
  /** Reads a struct rlimit and applies it to `t`; a CPU limit already passed by the caller signals now. */
  const set = (p: Process, t: Process, resource: number, ptr: number): void => {
    const m = p.mem!;
    setLimit(t, resource, m.u64(ptr), m.u64(ptr + 8), p.uid === 0);
    if (t === p) {
      const now = k.cpu.cpuTimeNs(p);
      if (now >= p.cpuLimitNs) cpuLimitReached(k, p, now);
    }
  };
  const get = (p: Process, t: Process, resource: number, out: number): void => {
    const [soft, hard] = getLimit(t, resource);
    p.mem!.setU64(out, soft);
    p.mem!.setU64(out + 8, hard);
  };

  return {
    getrlimit: {
      params: ['i32', 'i32'], gate: true,
      handler: (p: Process, resource: number, out: number) => {
        p.mem!.check(out, RLIMIT_SIZE);
        get(p, p, resource, out);
        return 0;
      },
    },
    setrlimit: {
      params: ['i32', 'i32'], gate: true,
      handler: (p: Process, resource: number, ptr: number) => {
        p.mem!.check(ptr, RLIMIT_SIZE);
        set(p, p, resource, ptr);
        return 0;
      },
    },
    prlimit: {
      params: ['i32', 'i32', 'i32', 'i32'], gate: true,
      handler: (p: Process, pid: number, resource: number, next: number, old: number) => {
        const m = p.mem!;
        if (next !== 0) m.check(next, RLIMIT_SIZE);
        if (old !== 0) m.check(old, RLIMIT_SIZE);
        const t = pid === 0 ? p : k.procs.get(pid);
        if (!t || t.exitStatus !== null) fail(E.SRCH);
        if (t !== p && p.uid !== 0 && p.uid !== t.uid) fail(E.PERM);
        // The old value is read before the new one is set; an invalid new one leaves both alone.
        const before = old !== 0 ? getLimit(t, resource) : null;
        if (next !== 0) set(p, t, resource, next);
        else if (before === null) getLimit(t, resource); // EINVAL for an unknown resource
        if (before) {
          m.setU64(old, before[0]);
          m.setU64(old + 8, before[1]);
        }
        return 0;
      },
    },
  };
}
