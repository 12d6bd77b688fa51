// The system activity collector: sysstat's sadc for one kernel, in the host process beside
// it. Every `intervalMs` (default 10 s, aligned to the wall clock: samples at :00, :10, ...)
// it takes a Snapshot (snapshot.ts) and stores it in the activity database (store.ts):
// STATE/sa.db for a booted image, memory otherwise; samples older than `retentionMs`
// (default 7 days) are pruned, hourly. It also serves what reads the activity: /dev/sa for
// processes (device.ts), the control socket's `sar` op, and Prometheus (prometheus.ts) when
// `listen` is set.
//
//   const kernel = await Kernel.boot({ metrics: { intervalMs: 1000, db: 'sa.db', listen: '127.0.0.1:9100' } });
//   kernel.metrics!.sampleNow();
//
// Sampling runs on the kernel thread: a pass over the process table and one SQLite
// transaction (tens of µs for a few processes; ~1 ms per thousand). A failure to store (disk
// full) is published on `isokernel:metrics:error` and sampling goes on; the kernel never
// stops for it. Timers are unref'd: the collector alone keeps no host process alive.
import dc from 'node:diagnostics_channel';
import type { Kernel } from '../kernel/kernel.ts';
import { KernelError } from '../kernel/errors.ts';
import { SaStore } from './store.ts';
import { Tracker, type Snapshot } from './snapshot.ts';
import { SarSession, type SarSource } from './sar.ts';
import { installSaDevice } from './device.ts';
import type { MetricsServer } from './prometheus.ts';
import './control-op.ts'; // the control socket's `sar` op

/** { error, path } when a sample could not be stored or the Prometheus server failed. */
export const metricsError = dc.channel('isokernel:metrics:error');
/** { t, id } after each stored sample (tests and tools can follow the sampling). */
export const metricsSample = dc.channel('isokernel:metrics:sample');

export const DEFAULT_INTERVAL_MS = 10_000;
export const DEFAULT_RETENTION_MS = 7 * 24 * 3600_000;
export const MIN_INTERVAL_MS = 100;
const PRUNE_EVERY_MS = 3600_000;

export interface MetricsOptions {
  /** Sampling interval, ms (at least 100; default 10 000). */
  intervalMs?: number;
  /** How long samples are kept, ms (default 7 days; at least one interval). */
  retentionMs?: number;
  /** The database file; default ':memory:'. */
  db?: string;
  /** Serve Prometheus on this loopback host:port ("127.0.0.1:9100", "[::1]:9100"); default none. */
  listen?: string | null;
  /** Install /dev/sa (the device the in-image sar reads); default true. */
  device?: boolean;
}

/** Checks options; KernelError EINVAL saying which is wrong. */
export function checkMetricsOptions(o: MetricsOptions): Required<Omit<MetricsOptions, 'listen'>> & { listen: string | null } {
  const interval = o.intervalMs ?? DEFAULT_INTERVAL_MS;
  if (!Number.isFinite(interval) || interval < MIN_INTERVAL_MS || interval > 86_400_000) {
    throw new KernelError('EINVAL', `metrics interval ${interval} ms: expected ${MIN_INTERVAL_MS} ms to 1 day`);
  }
  const retention = o.retentionMs ?? DEFAULT_RETENTION_MS;
  if (!Number.isFinite(retention) || retention < interval) {
    throw new KernelError('EINVAL', `metrics retention ${retention} ms: expected at least the interval (${interval} ms)`);
  }
  if (o.db !== undefined && (typeof o.db !== 'string' || o.db === '')) throw new KernelError('EINVAL', 'metrics db: expected a file path');
  return { intervalMs: interval, retentionMs: retention, db: o.db ?? ':memory:', listen: o.listen ?? null, device: o.device ?? true };
}

export class Collector {
  readonly kernel: Kernel;
  readonly tracker: Tracker;
  readonly store: SaStore;
  readonly intervalMs: number;
  readonly retentionMs: number;
  server: MetricsServer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  private halted = false;
  /** Samples stored since start. */
  samples = 0;

  /** Whether stop() was called. */
  get stopped(): boolean {
    return this.halted;
  }

  private constructor(kernel: Kernel, o: ReturnType<typeof checkMetricsOptions>) {
    this.kernel = kernel;
    this.intervalMs = o.intervalMs;
    this.retentionMs = o.retentionMs;
    try {
      this.store = new SaStore(o.db);
    } catch (e) {
      throw new KernelError('ESADB', `activity database: ${(e as Error).message}`);
    }
    this.tracker = new Tracker(kernel);
  }

  /** Starts collecting for `kernel`: a first sample now, then every interval. */
  static async start(kernel: Kernel, opts: MetricsOptions = {}): Promise<Collector> {
    const o = checkMetricsOptions(opts);
    const c = new Collector(kernel, o);
    c.tracker.attach();
    try {
      if (o.device) installSaDevice(kernel, c);
      if (o.listen !== null) {
        const { MetricsServer } = await import('./prometheus.ts');
        c.server = await MetricsServer.listen(c, o.listen);
      }
    } catch (e) {
      c.tracker.detach();
      c.store.close();
      throw e;
    }
    c.prune();
    c.sampleNow();
    c.schedule();
    return c;
  }

  private schedule(): void {
    if (this.halted) return;
    const now = Date.now();
    const wait = this.intervalMs - (now % this.intervalMs);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.sampleNow();
      this.schedule();
    }, wait < this.intervalMs / 10 ? wait + this.intervalMs : wait);
    this.timer.unref();
  }

  /** Takes a sample and stores it; returns it (null if it could not be stored). */
  sampleNow(): Snapshot | null {
    if (this.halted) return null;
    const s = this.tracker.snapshot();
    try {
      const id = this.store.insert(s);
      this.samples++;
      if (s.t - this.lastPrune >= PRUNE_EVERY_MS) this.prune();
      if (metricsSample.hasSubscribers) metricsSample.publish({ t: s.t, id });
      return s;
    } catch (e) {
      metricsError.publish({ error: e, path: this.store.path });
      return null;
    }
  }

  private prune(): void {
    this.lastPrune = Date.now();
    try {
      this.store.prune(this.lastPrune - this.retentionMs);
    } catch (e) {
      metricsError.publish({ error: e, path: this.store.path });
    }
  }

  /** What a sar session reads here: the history and live snapshots. */
  sarSource(): SarSource {
    return {
      history: (from, to, devices, limit) => this.store.range(from, to, { devices, limit }),
      snapshot: () => this.tracker.snapshot(),
      hostname: this.kernel.hostname,
      release: this.kernel.release,
    };
  }

  /** A sar session over this collector (args without the program name). */
  sar(args: readonly string[]): SarSession {
    return new SarSession(args, this.sarSource());
  }

  /** Stops sampling (after a last sample), the Prometheus server, and closes the database. */
  async stop(): Promise<void> {
    if (this.halted) return;
    this.sampleNow();
    this.halted = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.tracker.detach();
    const server = this.server;
    this.server = null;
    await server?.close();
    this.store.close();
  }
}
