// The kernel's clocks, in ns. Monotonic is the host's CLOCK_MONOTONIC (hrtime); realtime is
// monotonic plus an offset, taken at start from performance.timeOrigin + performance.now()
// (µs precision) and re-checked against the host's wall clock (Date.now(), CLOCK_REALTIME)
// at most once a second, so that a host clock step (an NTP step, an operator's `date -s`)
// shows up within a second while a read costs one hrtime call.
//
// The check reads two clocks one after the other; a thread preempted between the reads sees
// a "drift" of however long it was off the CPU (ms on a busy machine), and stepping on that
// would make realtime jump back and forth. So a check counts only when both monotonic reads
// around Date.now() lie within CHECK_WINDOW_NS, and the offset moves only for a drift
// above STEP_NS: a real step (ntpd steps at 128 ms and slews below that; slewing moves both
// clocks alike) and far above Date.now()'s 1 ms granularity.
export const NS_PER_MS = 1_000_000n;

const hr = process.hrtime.bigint;
/** Both monotonic reads around a wall-clock read within this, or the check is not made. */
const CHECK_WINDOW_NS = 100_000n;
/** A drift of realtime from the host's wall clock past this is a step, followed at once. */
const STEP_NS = 100_000_000n;

export class Clock {
  /** Monotonic ns at boot, for uptime. */
  readonly bootMono: bigint;
  private offset: bigint; // realtime - monotonic
  private checkedAt: bigint;

  constructor() {
    // Two reads again: tried a few times for a pair not split by a preemption.
    let mono = hr(), wall = this.wallNs(), after = hr();
    for (let i = 0; i < 5 && after - mono > CHECK_WINDOW_NS; i++) {
      mono = hr();
      wall = this.wallNs();
      after = hr();
    }
    this.bootMono = mono;
    this.offset = wall - mono;
    this.checkedAt = mono;
  }

  private wallNs(): bigint {
    // performance.timeOrigin + now() gives µs precision; Date.now() only ms.
    return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
  }

  monotonic(): bigint {
    return hr();
  }

  realtime(): bigint {
    const mono = hr();
    if (mono - this.checkedAt > 1_000_000_000n) this.checkStep(mono);
    return mono + this.offset;
  }

  /** Moves the offset when the host's wall clock was stepped (see the file's note). */
  private checkStep(mono: bigint): void {
    const before = hr();
    const wall = BigInt(Date.now()) * NS_PER_MS;
    const after = hr();
    if (after - before > CHECK_WINDOW_NS) return; // preempted between the reads: try at the next call
    this.checkedAt = mono;
    const drift = wall - (before + this.offset);
    if (drift > STEP_NS || drift < -STEP_NS) this.offset = wall - before;
  }

  /** Monotonic ns since boot as a number (for accounting). */
  uptimeNs(): number {
    return Number(hr() - this.bootMono);
  }
}
