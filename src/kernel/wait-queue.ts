// A promise many may wait on, settled and replaced by wake(): what pipes wait for room or
// data on, and what wait() sleeps on until a child changes state.
export class WaitQueue {
  private waiting: { promise: Promise<void>; resolve: () => void } | null = null;

  wait(): Promise<void> {
    if (!this.waiting) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.waiting = { promise, resolve };
    }
    return this.waiting.promise;
  }

  wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.resolve();
  }
}
