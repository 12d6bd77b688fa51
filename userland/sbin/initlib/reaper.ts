// init's one wait loop. Every child of init ends here: services, readiness checks, and the
// orphans the kernel re-parents to PID 1 (which no one else would reap). A waiter registers
// a pid right after its synchronous spawn — before the event loop can deliver that pid's
// status — and gets the status; anything unclaimed is an orphan, reaped and reported.
import isk from 'isokernel';

export type ExitInfo = NonNullable<ReturnType<typeof isk.wait>>;

export class Reaper {
  private readonly waiters = new Map<number, (w: ExitInfo) => void>();
  private wake: (() => void) | null = null;
  private running = false;
  /**
   * Whether children may appear that were not spawned here (init: orphans re-parented to PID
   * 1): then, with no children, wait is tried again every 250 ms; otherwise only after a spawn.
   */
  private readonly orphans: boolean;

  constructor(o: { orphans?: boolean } = {}) {
    this.orphans = o.orphans ?? true;
  }
  /** Called for a child nobody registered: an orphan. */
  onOrphan: (w: ExitInfo) => void = () => {};
  /** Called when wait fails in an unexpected way (the loop goes on). */
  onError: (e: Error) => void = () => {};

  /** `fn` gets pid's status when it ends. Register right after a synchronous spawn. */
  watch(pid: number, fn: (w: ExitInfo) => void): void {
    this.waiters.set(pid, fn);
    this.wake?.();
  }

  /** A promise of pid's status. */
  exited(pid: number): Promise<ExitInfo> {
    return new Promise((resolve) => this.watch(pid, resolve));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    for (;;) {
      let w: ExitInfo | null;
      try {
        w = await isk.promises.wait(-1);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'ECHILD' && code !== 'EINTR') this.onError(e as Error);
        if (code === 'EINTR') continue;
        // No children now: wait for a spawn, or look again soon (an orphan may be re-parented
        // to init while it has none of its own).
        await new Promise<void>((resolve) => {
          const t = code !== 'ECHILD' || this.orphans ? setTimeout(resolve, code === 'ECHILD' ? 250 : 100) : null;
          this.wake = () => {
            if (t) clearTimeout(t);
            resolve();
          };
        });
        this.wake = null;
        continue;
      }
      if (!w || w.stopped || w.continued) continue;
      const fn = this.waiters.get(w.pid);
      if (fn) {
        this.waiters.delete(w.pid);
        try {
          fn(w);
        } catch (e) {
          this.onError(e as Error);
        }
      } else {
        this.onOrphan(w);
      }
    }
  }
}
