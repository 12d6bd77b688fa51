// The kernel's clocks, in ns. Monotonic is the host's CLOCK_MONOTONIC (hrtime); realtime is
// derived from it with an offset taken from the host's wall clock, re-read at most once a
// second so that a host clock step (NTP) shows up within a second while a read costs one
// hrtime call.
export const NS_PER_MS = 1_000_000n;

const hr = process.hrtime.bigint;

export class Clock {
  /** Monotonic ns at boot, for uptime. */
  readonly bootMono: bigint;
  private offset: bigint; // realtime - monotonic
  private checkedAt: bigint;

  constructor() {
    this.bootMono = hr();
    this.offset = this.wallNs() - this.bootMono;
    this.checkedAt = this.bootMono;
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
    if (mono - this.checkedAt > 1_000_000_000n) {
      this.checkedAt = mono;
      const wall = this.wallNs();
      const drift = wall - (mono + this.offset);
      if (drift > 1_000_000n || drift < -1_000_000n) this.offset = wall - mono;
    }
    return mono + this.offset;
  }

  /** Monotonic ns since boot as a number (for accounting). */
  uptimeNs(): number {
    return Number(hr() - this.bootMono);
  }
}
