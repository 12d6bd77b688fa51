// A process's signal state: pending set, mask, and one action per signal (signal(7)).
//
// Sets are u32s, bit n-1 for signal n. The kernel keeps dispositions (default, ignore,
// catch) with sa_mask and sa_flags; a caught signal is delivered by calling the guest's
// `__isokernel_signal` export from the syscall gate (syscall/gate.ts), which is where the
// C library keeps the handler pointers. Sending is Kernel.signal (kernel.ts); taking the next
// signal to act on is next() here.
import { defaultAction, DISPOSITION, SA, sigbit, UNBLOCKABLE } from '../../abi/signals.ts';

export interface SigAction {
  disposition: number;
  mask: number;
  flags: number;
}

const DEFAULT_ACTION: SigAction = Object.freeze({ disposition: DISPOSITION.DEFAULT, mask: 0, flags: 0 });

export class SignalState {
  pending = 0;
  mask = 0;
  /** Indexed by signal number (1-31); frozen default entries are shared. */
  readonly actions: SigAction[] = new Array<SigAction>(32).fill(DEFAULT_ACTION);
  /** sigsuspend's saved mask: restored after the handler that ends the suspend. */
  suspendMask: number | null = null;
  /** Masks to restore when each running handler returns (innermost last). */
  readonly handlerMasks: number[] = [];

  /** Pending and not blocked. */
  deliverable(): number {
    return (this.pending & ~this.mask) >>> 0;
  }

  action(sig: number): SigAction {
    return this.actions[sig]!;
  }

  /** Whether `sig` sent now would be thrown away: ignored, explicitly or by default. */
  ignores(sig: number): boolean {
    const a = this.actions[sig]!;
    return a.disposition === DISPOSITION.IGNORE ||
      (a.disposition === DISPOSITION.DEFAULT && defaultAction(sig) === 'ignore');
  }

  setAction(sig: number, a: SigAction): void {
    this.actions[sig] = a.disposition === DISPOSITION.DEFAULT && a.mask === 0 && a.flags === 0 ? DEFAULT_ACTION : a;
    // Setting a pending signal to ignore discards it (POSIX).
    if (this.ignores(sig)) this.pending = (this.pending & ~sigbit(sig)) >>> 0;
  }

  setMask(mask: number): void {
    this.mask = (mask & ~UNBLOCKABLE) >>> 0;
  }

  /**
   * The state a spawned child starts with, as after execve: the same mask, ignored signals
   * still ignored, caught ones back to default, nothing pending.
   */
  /**
   * What exec does to the process's own state: caught signals go back to their default
   * action (there is no handler in the new program); ignored ones stay ignored; the mask and
   * the pending set are kept.
   */
  resetForExec(): void {
    for (let sig = 1; sig < 32; sig++) {
      const a = this.actions[sig]!;
      if (a.disposition !== DISPOSITION.IGNORE) this.actions[sig] = DEFAULT_ACTION;
      else if (a.mask !== 0 || a.flags !== 0) this.actions[sig] = { disposition: DISPOSITION.IGNORE, mask: 0, flags: 0 };
    }
  }

  forChild(): SignalState {
    const s = new SignalState();
    s.mask = this.mask;
    for (let sig = 1; sig < 32; sig++) {
      const a = this.actions[sig]!;
      if (a.disposition === DISPOSITION.IGNORE) s.actions[sig] = { disposition: DISPOSITION.IGNORE, mask: 0, flags: 0 };
      // SA_NOCLDWAIT and SA_NOCLDSTOP are kept only with the disposition they came with.
    }
    return s;
  }

  /** Takes the lowest deliverable signal off the pending set; 0 if none. */
  take(): number {
    const d = this.deliverable();
    if (d === 0) return 0;
    const sig = 32 - Math.clz32(d & -d); // lowest set bit, 1-based
    this.pending = (this.pending & ~sigbit(sig)) >>> 0;
    return sig;
  }

  /** Enters a handler for `sig`: widens the mask, remembering what to restore. */
  enterHandler(sig: number, a: SigAction): void {
    this.handlerMasks.push(this.suspendMask ?? this.mask);
    this.suspendMask = null;
    let m = this.mask | a.mask;
    if ((a.flags & SA.NODEFER) === 0) m |= sigbit(sig);
    this.setMask(m);
    if ((a.flags & SA.RESETHAND) >>> 0) this.actions[sig] = DEFAULT_ACTION;
  }

  /** A handler returned: the mask it interrupted comes back. */
  leaveHandler(): void {
    const m = this.handlerMasks.pop();
    if (m !== undefined) this.setMask(m);
  }
}
