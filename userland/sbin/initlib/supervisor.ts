// The supervisor: init's services as state machines.
//
//   pending ──deps ready──▶ starting ──readiness ok──▶ running
//      ▲                       │  (exit / not ready)      │ exit
//      │ start               ▼                          ▼
//   stopped ◀── stop ── stopping        policy: backoff ──delay──▶ starting
//                                                 └─ crash loop ──▶ failed
//
// A service starts when each of its dependencies has become ready (reached `running`) and is
// not stopped or failed; a failed dependency fails its dependents. Restarts follow the
// policy (`always`; `on-failure`: a non-zero status, a signal, or readiness not reached;
// `no`), after a delay of backoff.initial doubled at each consecutive failure up to
// backoff.max (a run that lasted at least crashLoop.windowMs resets it). More than
// crashLoop.maxRestarts restarts within windowMs: `failed`, not restarted until `service
// start`. Stop: stopSignal (and SIGCONT) to the service's process group (each service is a
// session and group leader), SIGKILL to the group after stopTimeoutMs. Shutdown stops every
// service once all the services that depend on it have stopped (reverse dependency order).
import isk from 'isokernel';
import type { ServiceState as State, ServiceStatus } from '../../../src/image/init-channel.ts';
import type { Service } from '../../../src/image/manifest-types.ts';
import { closeStreams, describeExit, type Logger, openStreams } from './log.ts';
import { waitReady } from './readiness.ts';
import type { ExitInfo, Reaper } from './reaper.ts';

const SIGKILL = 9;
const SIGCONT = 18;
const DEFAULT_PATH = '/bin:/usr/bin:/sbin';

export class Unit {
  readonly spec: Service;
  readonly system: boolean;
  state: State = 'pending';
  pid: number | null = null;
  restarts = 0;
  since = Date.now();
  lastExit: ExitInfo | null = null;
  reason: string | null = null;
  /** Whether it has reached `running` since it was last (re)started by request. */
  wasReady = false;
  /** Whether it should run (false after a stop request or at shutdown). */
  wanted = true;
  /** Part of a dependency cycle: never started. */
  inCycle = false;
  /** Why it may never start (a bad manifest entry), or null. */
  refused: string | null = null;
  /** Consecutive failures, for the backoff. */
  failures = 0;
  /** Restart times within the crash-loop window. */
  recent: number[] = [];
  runStart = 0;
  notReady: string | null = null;
  timer: ReturnType<typeof setTimeout> | null = null;
  killTimer: ReturnType<typeof setTimeout> | null = null;
  exitWaiters: (() => void)[] = [];

  constructor(spec: Service, system = false) {
    this.spec = spec;
    this.system = system;
  }

  status(): ServiceStatus {
    return {
      name: this.spec.name, state: this.state, pid: this.pid, restarts: this.restarts, since: this.since,
      lastExit: this.lastExit ? { code: this.lastExit.code, signal: this.lastExit.signal } : null, reason: this.reason,
      system: this.system,
    };
  }
}

export class Supervisor {
  readonly units = new Map<string, Unit>();
  private readonly reaper: Reaper;
  private readonly log: Logger;
  shuttingDown = false;
  /** Called after every change of a unit's state (init's `wait-ready` requests). */
  onChange: (() => void) | null = null;

  constructor(reaper: Reaper, log: Logger) {
    this.reaper = reaper;
    this.log = log;
  }

  add(spec: Service, system = false): Unit {
    const u = new Unit(spec, system);
    this.units.set(spec.name, u);
    return u;
  }

  /** A service that must never start (a bad manifest entry): failed, with the reason. */
  refuse(u: Unit, reason: string): void {
    u.refused = reason;
    this.fail(u, reason);
  }

  /** Marks unknown dependencies and cycles (the manifest checks these too; init defends). */
  checkGraph(): void {
    const color = new Map<string, 0 | 1 | 2>();
    const stack: string[] = [];
    const visit = (name: string): void => {
      const c = color.get(name) ?? 0;
      if (c === 2) return;
      if (c === 1) {
        for (const n of stack.slice(stack.indexOf(name))) this.units.get(n)!.inCycle = true;
        return;
      }
      color.set(name, 1);
      stack.push(name);
      for (const d of this.units.get(name)!.spec.dependsOn) if (this.units.has(d)) visit(d);
      stack.pop();
      color.set(name, 2);
    };
    for (const name of this.units.keys()) visit(name);
    for (const u of this.units.values()) {
      if (u.state === 'failed') continue; // refused already
      const missing = u.spec.dependsOn.filter((d) => !this.units.has(d));
      if (missing.length > 0) this.fail(u, `depends on unknown service ${missing.join(', ')}`);
      else if (u.inCycle) this.fail(u, `dependency cycle: ${this.cycleOf(u)}`);
    }
  }

  private cycleOf(u: Unit): string {
    const names = [u.spec.name];
    for (let cur = u; ;) {
      const next = cur.spec.dependsOn.map((d) => this.units.get(d)!).find((d) => d.inCycle);
      if (!next || names.includes(next.spec.name)) {
        if (next) names.push(next.spec.name);
        return names.join(' -> ');
      }
      names.push(next.spec.name);
      cur = next;
    }
  }

  /** Starts what may start: called after every change of state. */
  schedule(): void {
    if (this.shuttingDown) return;
    let changed = true;
    while (changed) {
      changed = false;
      for (const u of this.units.values()) {
        if (u.state !== 'pending' || !u.wanted) continue;
        let ready = true;
        for (const d of u.spec.dependsOn) {
          const dep = this.units.get(d)!;
          if (dep.state === 'failed') {
            this.fail(u, `dependency ${d} failed`);
            changed = true;
            ready = false;
            break;
          }
          if (!dep.wasReady || dep.state === 'stopped' || dep.state === 'stopping' || dep.state === 'pending') ready = false;
        }
        if (ready && u.state === 'pending') this.start(u);
      }
    }
  }

  private setState(u: Unit, s: State, reason: string | null = null): void {
    u.state = s;
    u.since = Date.now();
    u.reason = reason;
    this.onChange?.();
  }

  private fail(u: Unit, reason: string): void {
    this.setState(u, 'failed', reason);
    this.log.error(`service ${u.spec.name} failed: ${reason}`);
  }

  private env(s: Service): Record<string, string> {
    return { PATH: DEFAULT_PATH, HOME: '/', ...s.env };
  }

  /** Spawns a service's program with its log streams; throws what spawn throws. */
  private spawnUnit(u: Unit): number {
    const s = u.spec;
    const argv0 = s.program.slice(s.program.lastIndexOf('/') + 1);
    const streams = u.spec.name === 'syslogd' && u.system ? null : openStreams(s.name);
    try {
      return isk.spawn(s.program, [argv0, ...s.args], {
        env: this.env(s), cwd: s.cwd, setsid: true, uid: s.uid, gid: s.gid, limits: s.limits, search: !s.program.includes('/'),
        fds: streams ? { 0: 'null', 1: streams.out, 2: streams.err } : { 0: 'null' },
      });
    } finally {
      closeStreams(streams);
    }
  }

  start(u: Unit): void {
    this.setState(u, 'starting');
    u.notReady = null;
    u.runStart = Date.now();
    let pid: number;
    try {
      pid = this.spawnUnit(u);
    } catch (e) {
      const err = e as Error & { code?: string };
      this.log.error(`service ${u.spec.name}: cannot start ${u.spec.program}: ${err.message}`);
      // As a program that could not run: 127 missing, 126 otherwise; the policy decides.
      u.pid = null;
      this.exited(u, { pid: 0, status: 0, code: err.code === 'ENOENT' ? 127 : 126, signal: null, stopped: false, continued: false });
      return;
    }
    u.pid = pid;
    this.reaper.watch(pid, (w) => this.exited(u, w));
    this.log.info(`service ${u.spec.name} started (pid ${pid})`);
    void waitReady(u.spec.readiness, {
      alive: () => u.pid === pid,
      runCommand: (cmd) => this.runCheck(u, cmd),
      warn: (m) => this.log.warn(`service ${u.spec.name}: ${m}`),
    }).then((r) => {
      if (u.pid !== pid || u.state !== 'starting') return;
      if (r.ok) {
        this.setState(u, 'running');
        u.wasReady = true;
        if (u.spec.readiness.type !== 'none') this.log.info(`service ${u.spec.name} ready`);
        this.schedule();
        return;
      }
      u.notReady = r.why;
      this.log.error(`service ${u.spec.name}: ${r.why}; stopping it`);
      this.signalUnit(u, u.spec.stopSignal, u.spec.stopTimeoutMs);
    });
  }

  private runCheck(u: Unit, cmd: string): Promise<number | null> {
    let pid: number;
    try {
      pid = isk.spawn('/bin/sh', ['sh', '-c', cmd], {
        env: this.env(u.spec), cwd: u.spec.cwd, uid: u.spec.uid, gid: u.spec.gid, fds: { 0: 'null', 1: 'null', 2: 'null' },
      });
    } catch (e) {
      this.log.warn(`service ${u.spec.name}: readiness command: ${(e as Error).message}`);
      return Promise.resolve(127);
    }
    return this.reaper.exited(pid).then((w) => w.code);
  }

  /** sig to the service's group (and SIGCONT, so a stopped one sees it), SIGKILL after graceMs. */
  private signalUnit(u: Unit, sig: number, graceMs: number): void {
    const pid = u.pid;
    if (pid === null) return;
    this.kill(pid, sig);
    if (sig !== SIGKILL && sig !== SIGCONT) this.kill(pid, SIGCONT);
    if (u.killTimer) clearTimeout(u.killTimer);
    u.killTimer = setTimeout(() => {
      u.killTimer = null;
      if (u.pid !== pid) return;
      this.log.warn(`service ${u.spec.name} still running ${graceMs} ms after ${sigName(sig)}: SIGKILL`);
      this.kill(pid, SIGKILL);
    }, graceMs);
  }

  /** To the group led by pid; to pid alone if the group is gone (and `alone`: pid is still ours). */
  private kill(pid: number, sig: number, alone = true): void {
    try {
      isk.kill(-pid, sig);
      return;
    } catch { /* no such group (the service left it) */ }
    if (!alone) return;
    try {
      isk.kill(pid, sig);
    } catch { /* already gone */ }
  }

  private exited(u: Unit, w: ExitInfo): void {
    if (u.killTimer) {
      clearTimeout(u.killTimer);
      u.killTimer = null;
    }
    u.pid = null;
    u.lastExit = w;
    // Whatever the service left in its group goes with it.
    if (w.pid > 0) this.kill(w.pid, SIGKILL, false);
    const waiters = u.exitWaiters.splice(0);
    const name = u.spec.name;
    if (w.pid > 0) this.log.notice(`service ${name} (pid ${w.pid}) ${describeExit(w)}`);
    if (!u.wanted || u.state === 'stopping' || this.shuttingDown) {
      this.setState(u, 'stopped');
      for (const fn of waiters) fn();
      this.schedule();
      return;
    }
    for (const fn of waiters) fn();
    const failure = w.code !== 0 || w.signal !== null || u.notReady !== null;
    const policy = u.spec.restart;
    if (policy === 'no' || (policy === 'on-failure' && !failure)) {
      if (failure) this.fail(u, u.notReady ?? describeExit(w));
      else this.setState(u, 'stopped', describeExit(w));
      this.schedule();
      return;
    }
    const now = Date.now();
    const { maxRestarts, windowMs } = u.spec.crashLoop;
    u.recent = u.recent.filter((t) => now - t < windowMs);
    if (u.recent.length >= maxRestarts) {
      this.fail(u, `crash loop: ${u.recent.length} restarts within ${windowMs} ms`);
      this.schedule();
      return;
    }
    if (now - u.runStart >= windowMs) u.failures = 0;
    const { initial, max } = u.spec.backoffMs;
    const delay = Math.min(initial * 2 ** Math.min(u.failures, 30), max);
    u.failures++;
    this.setState(u, 'backoff', u.notReady ?? describeExit(w));
    this.log.notice(`service ${name} restarting in ${formatDelay(delay)}`);
    u.timer = setTimeout(() => {
      u.timer = null;
      if (u.state !== 'backoff' || this.shuttingDown) return;
      u.recent.push(Date.now());
      u.restarts++;
      this.start(u);
    }, delay);
  }

  /** Stops a service: resolves when it is stopped. */
  stop(u: Unit, why = 'stop requested'): Promise<void> {
    u.wanted = false;
    if (u.timer) {
      clearTimeout(u.timer);
      u.timer = null;
    }
    if (u.pid === null) {
      if (u.state !== 'failed') this.setState(u, 'stopped', why);
      return Promise.resolve();
    }
    const done = new Promise<void>((resolve) => u.exitWaiters.push(resolve));
    if (u.state !== 'stopping') {
      this.setState(u, 'stopping');
      this.log.info(`stopping service ${u.spec.name} (pid ${u.pid}) with ${sigName(u.spec.stopSignal)}`);
      this.signalUnit(u, u.spec.stopSignal, u.spec.stopTimeoutMs);
    }
    return done;
  }

  /** `service start`: a stopped or failed service runs again (its crash count reset). */
  request(u: Unit): void {
    u.wanted = true;
    u.failures = 0;
    u.recent = [];
    u.notReady = null;
    if (u.refused !== null || u.inCycle) return;
    if (u.state === 'stopped' || u.state === 'failed' || u.state === 'pending') {
      u.wasReady = false;
      this.setState(u, 'pending');
      this.schedule();
    }
  }

  /** The services that depend on u. */
  dependents(u: Unit): Unit[] {
    return [...this.units.values()].filter((d) => d.spec.dependsOn.includes(u.spec.name));
  }

  /** Stops `units` in reverse dependency order, each once its dependents have stopped. */
  async stopAll(units: Unit[], why: string): Promise<void> {
    const memo = new Map<Unit, Promise<void>>();
    const set = new Set(units);
    const stopOne = (u: Unit): Promise<void> => {
      let p = memo.get(u);
      if (p) return p;
      const deps = u.inCycle ? [] : this.dependents(u).filter((d) => set.has(d) && !d.inCycle);
      p = Promise.all(deps.map(stopOne)).then(() => this.stop(u, why));
      memo.set(u, p);
      return p;
    };
    await Promise.all(units.map(stopOne));
  }
}

function sigName(n: number): string {
  for (const [k, v] of Object.entries(isk.signals)) if (v === n) return `SIG${k}`;
  return `signal ${n}`;
}

function formatDelay(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s` : `${ms}ms`;
}
