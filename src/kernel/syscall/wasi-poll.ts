// poll_oneoff: wait for the first of several clocks and descriptors.
//
// First attempt: read every subscription, turning relative clock timeouts into absolute
// monotonic deadlines (kept in p.restart so a retry after sleeping does not restart them).
// If anything is ready (a descriptor, an expired clock, a subscription that fails), write
// those events and return. Otherwise sleep until the earliest deadline or until any
// descriptor may have become ready, and try again.
//
// Errors: EINVAL for no subscriptions, an unknown event type or a CPU-time clock, EBADF for a
// descriptor that is not open or is a directory (the whole call fails, as in wasmtime); a dropped
// POLL_FD_READWRITE right is reported in that subscription's event (ENOTCAPABLE).
import {
  CLOCK, E, FILETYPE, EVENTRWFLAGS, EVENTTYPE, RIGHTS, SIZEOF_EVENT, SIZEOF_SUBSCRIPTION, SUBCLOCKFLAGS,
} from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { OpenFile } from '../fd/open-file.ts';
import type { Process } from '../proc/process.ts';
import type { SyscallTable } from './dispatch.ts';
import type { Kernel } from '../kernel.ts';

interface Sub {
  userdata: bigint;
  type: number;
  /** Clocks: absolute monotonic deadline in ns. */
  deadline: bigint;
  /** Descriptors: the description, or an errno if the subscription itself failed. */
  file: OpenFile | null;
  error: number;
}

export function pollSyscalls(k: Kernel): SyscallTable {
  const clock = k.clock;

  const readSubs = (p: Process, inPtr: number, n: number): Sub[] => {
    const m = p.mem!;
    const base = m.check(inPtr, n * SIZEOF_SUBSCRIPTION);
    const dv = m.dv;
    const now = clock.monotonic();
    const subs: Sub[] = [];
    for (let i = 0; i < n; i++) {
      const at = base + i * SIZEOF_SUBSCRIPTION;
      const userdata = dv.getBigUint64(at, true);
      const type = dv.getUint8(at + 8);
      const sub: Sub = { userdata, type, deadline: 0n, file: null, error: 0 };
      if (type === EVENTTYPE.CLOCK) {
        const id = dv.getUint32(at + 16, true);
        const timeout = dv.getBigUint64(at + 24, true);
        const flags = dv.getUint16(at + 40, true);
        if (id === CLOCK.MONOTONIC) {
          sub.deadline = flags & SUBCLOCKFLAGS.ABSTIME ? timeout : now + timeout;
        } else if (id === CLOCK.REALTIME) {
          sub.deadline = flags & SUBCLOCKFLAGS.ABSTIME ? now + (timeout - clock.realtime()) : now + timeout;
        } else {
          return fail(E.INVAL); // CPU-time clocks cannot be waited on (wasmtime: EINVAL)
        }
      } else if (type === EVENTTYPE.FD_READ || type === EVENTTYPE.FD_WRITE) {
        // A descriptor that is not open fails the whole call, as wasmtime does.
        const e = p.fds.get(dv.getUint32(at + 16, true));
        if (e.file.filetype === FILETYPE.DIRECTORY) fail(E.BADF); // wasmtime: not pollable
        if ((e.rightsBase & RIGHTS.POLL_FD_READWRITE) === 0 && (e.dropped & RIGHTS.POLL_FD_READWRITE) !== 0) {
          sub.error = E.NOTCAPABLE;
        } else sub.file = e.file;
      } else {
        return fail(E.INVAL);
      }
      subs.push(sub);
    }
    return subs;
  };

  return {
    poll_oneoff: {
      params: ['i32', 'i32', 'i32', 'i32'],
      blocking: true,
      handler: (p: Process, inPtr: number, outPtr: number, n: number, neventsPtr: number) => {
        const m = p.mem!;
        if (n === 0) fail(E.INVAL);
        n >>>= 0;
        m.check(outPtr, n * SIZEOF_EVENT);
        m.check(neventsPtr, 4);
        let subs = p.restart as Sub[] | null;
        if (subs === null) p.restart = subs = readSubs(p, inPtr, n);
        const now = clock.monotonic();
        const out = m.check(outPtr, n * SIZEOF_EVENT);
        const dv = m.dv;
        let count = 0;
        let earliest = -1n;
        const waits: Promise<void>[] = [];
        for (const s of subs) {
          let ready = false;
          let nbytes = 0;
          let flags = 0;
          if (s.error !== 0) ready = true;
          else if (s.type === EVENTTYPE.CLOCK) {
            if (s.deadline <= now) ready = true;
            else if (earliest < 0n || s.deadline < earliest) earliest = s.deadline;
          } else if (s.type === EVENTTYPE.FD_READ) {
            const f = s.file!;
            const avail = f.readReady();
            if (avail >= 0) {
              ready = true;
              nbytes = avail;
              if (f.hangup()) flags = EVENTRWFLAGS.HANGUP;
            } else waits.push(f.waitReadable());
          } else {
            const f = s.file!;
            if (f.hangup()) {
              ready = true;
              flags = EVENTRWFLAGS.HANGUP;
            } else if (f.writeReady()) ready = true;
            else waits.push(f.waitWritable());
          }
          if (!ready) continue;
          const at = out + count * SIZEOF_EVENT;
          dv.setBigUint64(at, s.userdata, true);
          dv.setUint16(at + 8, s.error, true);
          dv.setUint8(at + 10, s.type);
          for (let i = 11; i < 16; i++) dv.setUint8(at + i, 0);
          dv.setBigUint64(at + 16, BigInt(nbytes), true);
          dv.setUint16(at + 24, flags, true);
          for (let i = 26; i < 32; i++) dv.setUint8(at + i, 0);
          count++;
        }
        if (count > 0) {
          dv.setUint32(m.check(neventsPtr, 4), count, true);
          return 0;
        }
        if (earliest >= 0n) waits.push(k.sleepUntil(p, earliest));
        return p.block(waits.length === 1 ? waits[0]! : Promise.race(waits));
      },
    },
  };
}
