// The isokernel module, signals and timers: sigaction, sigprocmask, sigpending,
// sigsuspend, alarm, setitimer. Delivery itself is the gate's (syscall/gate.ts) and the
// kernel's (Kernel.signal, sigNext); see docs/abi.md, "Signal delivery".
import { ALL_SIGNALS, DISPOSITION, SA_KNOWN, sigbit, UNBLOCKABLE } from '../../abi/signals.ts';
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import type { SyscallTable } from './dispatch.ts';

const SIGACTION_SIZE = 12;
const HOW = { BLOCK: 0, UNBLOCK: 1, SETMASK: 2 } as const;
const ITIMER = { REAL: 0, VIRTUAL: 1, PROF: 2 } as const;
const NS_PER_SEC = 1_000_000_000n;

export function iskSignalSyscalls(k: Kernel): SyscallTable {
  return {
    sigaction: {
      params: ['i32', 'i32', 'i32'], gate: true,
      handler: (p: Process, sig: number, act: number, oldact: number) => {
        const m = p.mem!;
        if (act !== 0) m.check(act, SIGACTION_SIZE);
        if (oldact !== 0) m.check(oldact, SIGACTION_SIZE);
        if (sig < 1 || sig > 31) fail(E.INVAL);
        let next = null;
        if (act !== 0) {
          const disposition = m.u32(act), mask = m.u32(act + 4), flags = m.u32(act + 8);
          if ((sigbit(sig) & UNBLOCKABLE) !== 0) fail(E.INVAL);
          if (disposition > DISPOSITION.CATCH || (mask & ~ALL_SIGNALS) !== 0 || (flags & ~SA_KNOWN) !== 0) fail(E.INVAL);
          if (disposition === DISPOSITION.CATCH && typeof p.instance?.exports.__isokernel_signal !== 'function') fail(E.INVAL);
          next = { disposition, mask: (mask & ~UNBLOCKABLE) >>> 0, flags };
        }
        if (oldact !== 0) {
          const a = p.sig.action(sig);
          m.setU32(oldact, a.disposition);
          m.setU32(oldact + 4, a.mask);
          m.setU32(oldact + 8, a.flags);
        }
        if (next) {
          p.sig.setAction(sig, next);
          k.cpu.poke(p);
        }
        return 0;
      },
    },

    sigprocmask: {
      params: ['i32', 'i32', 'i32'], gate: true,
      handler: (p: Process, how: number, set: number, oldset: number) => {
        const m = p.mem!;
        if (set !== 0) m.check(set, 4);
        if (oldset !== 0) m.check(oldset, 4);
        const old = p.sig.mask;
        if (set !== 0) {
          if (how < HOW.BLOCK || how > HOW.SETMASK) fail(E.INVAL);
          const s = m.u32(set) & ALL_SIGNALS;
          p.sig.setMask(how === HOW.BLOCK ? old | s : how === HOW.UNBLOCK ? old & ~s : s);
        }
        if (oldset !== 0) m.setU32(oldset, old);
        k.cpu.poke(p); // an unblocked pending signal is delivered as this call returns
        return 0;
      },
    },

    sigpending: {
      params: ['i32'],
      handler: (p: Process, out: number) => {
        p.mem!.setU32(out, p.sig.pending);
        return 0;
      },
    },

    sigsuspend: {
      params: ['i32'], blocking: true,
      handler: (p: Process, mask: number) => {
        if (p.restart === null) {
          // First attempt: install the temporary mask; the handler that ends the suspend
          // restores the old one when it returns (SignalState.enterHandler).
          p.restart = true;
          p.sig.suspendMask = p.sig.mask;
          p.sig.setMask(mask & ALL_SIGNALS);
          k.cpu.poke(p);
          if (p.sig.deliverable() !== 0) return fail(E.INTR);
        }
        if (p.intr !== 0 || p.sig.deliverable() !== 0) return fail(E.INTR);
        return p.block(new Promise(() => {})); // until a signal interrupts the sleep
      },
    },

    alarm: {
      params: ['i32', 'i32'], gate: true,
      handler: (p: Process, seconds: number, prevOut: number) => {
        p.mem!.check(prevOut, 4);
        const [left] = k.setRealTimer(p, BigInt(seconds >>> 0) * NS_PER_SEC, 0n);
        p.mem!.setU32(prevOut, Number((left + NS_PER_SEC - 1n) / NS_PER_SEC));
        return 0;
      },
    },

    setitimer: {
      params: ['i32', 'i64', 'i64', 'i32'], gate: true,
      handler: (p: Process, which: number, value: bigint, interval: bigint, oldOut: number) => {
        const m = p.mem!;
        if (oldOut !== 0) m.check(oldOut, 16);
        if (which < ITIMER.REAL || which > ITIMER.PROF || value < 0n || interval < 0n) fail(E.INVAL);
        let old: [bigint, bigint];
        if (which === ITIMER.REAL) old = k.setRealTimer(p, value, interval);
        else {
          const t = p.cpuTimers[which - 1]!;
          const cpu = k.cpu.cpuTimeNs(p);
          old = [t.deadline === 0 ? 0n : BigInt(Math.max(1, Math.round(t.deadline - cpu))), BigInt(t.interval)];
          t.deadline = value === 0n ? 0 : cpu + Number(value);
          t.interval = Number(interval);
        }
        if (oldOut !== 0) {
          m.setU64(oldOut, old[0]);
          m.setU64(oldOut + 8, old[1]);
        }
        return 0;
      },
    },
  };
}
