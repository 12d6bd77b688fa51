// Built by userland/sbin/build.sh from init.ts (croner 11.0.0, MIT, where used). Do not edit.

// init.ts
import isk5 from "isokernel";
import { readFileSync } from "node:fs";
import path from "node:path";

// initlib/check.ts
var isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var isId = (v) => Number.isInteger(v) && v >= 0 && v <= 2147483647;
var isMs = (v) => typeof v === "number" && v >= 0 && Number.isFinite(v);
var isStrings = (v) => Array.isArray(v) && v.every((x) => typeof x === "string");
function checkService(s) {
  if (!isObj(s)) return "not an object";
  if (typeof s.name !== "string" || s.name === "") return "name: expected a non-empty string";
  if (typeof s.program !== "string" || s.program === "") return "program: expected a path";
  if (!isStrings(s.args)) return "args: expected an array of strings";
  if (!isObj(s.env) || !Object.values(s.env).every((v) => typeof v === "string")) return "env: expected an object of strings";
  if (typeof s.cwd !== "string" || !s.cwd.startsWith("/")) return "cwd: expected an absolute path";
  if (!isId(s.uid) || !isId(s.gid)) return "uid, gid: expected non-negative integers";
  if (s.restart !== "no" && s.restart !== "on-failure" && s.restart !== "always") return "restart: expected no, on-failure or always";
  const b = s.backoffMs;
  if (!isObj(b) || !isMs(b.initial) || !isMs(b.max) || b.max < b.initial) return "backoffMs: expected { initial, max } in ms, max >= initial";
  const c = s.crashLoop;
  if (!isObj(c) || !isId(c.maxRestarts) || !isMs(c.windowMs)) return "crashLoop: expected { maxRestarts, windowMs }";
  if (!isStrings(s.dependsOn)) return "dependsOn: expected an array of service names";
  if (!isObj(s.limits)) return "limits: expected an object";
  if (!Number.isInteger(s.stopSignal) || s.stopSignal < 1 || s.stopSignal > 31) return "stopSignal: expected a signal number 1-31";
  if (!isMs(s.stopTimeoutMs)) return "stopTimeoutMs: expected ms";
  const r = s.readiness;
  if (!isObj(r)) return "readiness: expected an object";
  switch (r.type) {
    case "none":
      break;
    case "file":
      if (typeof r.path !== "string" || !isMs(r.timeoutMs)) return "readiness file: expected { path, timeoutMs }";
      break;
    case "command":
      if (typeof r.command !== "string" || !isMs(r.intervalMs) || r.intervalMs < 1 || !isMs(r.timeoutMs)) return "readiness command: expected { command, intervalMs >= 1, timeoutMs }";
      break;
    case "tcp":
      if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535 || !isMs(r.timeoutMs)) return "readiness tcp: expected { port 1-65535, timeoutMs }";
      break;
    default:
      return "readiness: type must be none, file, command or tcp";
  }
  return null;
}
function refusedService(s, name) {
  return {
    name,
    program: "",
    args: [],
    env: {},
    cwd: "/",
    uid: 0,
    gid: 0,
    restart: "no",
    backoffMs: { initial: 0, max: 0 },
    crashLoop: { maxRestarts: 0, windowMs: 0 },
    dependsOn: isObj(s) && isStrings(s.dependsOn) ? s.dependsOn : [],
    limits: {},
    readiness: { type: "none" },
    stopSignal: 15,
    stopTimeoutMs: 0
  };
}

// initlib/log.ts
import isk from "isokernel";
var SEV = { emerg: 0, alert: 1, crit: 2, err: 3, warning: 4, notice: 5, info: 6, debug: 7 };
var api = isk;
var hasLogDevice = typeof api.openlog === "function" && typeof api.promises.syslog === "function";
var MAX_PENDING = 1e3;
var Logger = class {
  tag;
  /** The messages in flight, in order: a full log queue never blocks init's event loop. */
  chain = Promise.resolve();
  pending = 0;
  dropped = 0;
  /** Log synchronously (the record's time is the event's; a full queue makes the caller wait). */
  sync;
  constructor(tag, o = {}) {
    this.tag = tag;
    this.sync = o.sync ?? false;
  }
  log(severity, msg) {
    if (!hasLogDevice) {
      try {
        isk.write(2, `${this.tag}[${isk.pid}]: ${msg}
`);
      } catch {
      }
      return;
    }
    if (this.sync && this.pending === 0) {
      try {
        api.syslog(severity, msg, this.tag);
      } catch {
      }
      return;
    }
    if (this.pending >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    if (this.dropped > 0) {
      const n = this.dropped;
      this.dropped = 0;
      this.send(4, `${n} messages dropped: the log queue was full`);
    }
    this.send(severity, msg);
  }
  send(severity, msg) {
    this.pending++;
    this.chain = this.chain.then(() => api.promises.syslog(severity, msg, this.tag)).catch(() => {
    }).finally(() => {
      this.pending--;
    });
  }
  /** Resolves when what was logged is in the kernel's queue (or after `ms`). */
  flush(ms = 1e3) {
    return Promise.race([this.chain, new Promise((r) => setTimeout(r, ms))]);
  }
  info(msg) {
    this.log(SEV.info, msg);
  }
  notice(msg) {
    this.log(SEV.notice, msg);
  }
  warn(msg) {
    this.log(SEV.warning, msg);
  }
  error(msg) {
    this.log(SEV.err, msg);
  }
};
function openStreams(tag) {
  if (!hasLogDevice) return null;
  const out = api.openlog(tag, { severity: SEV.info, cloexec: true });
  try {
    return { out, err: api.openlog(tag, { severity: SEV.err, cloexec: true }) };
  } catch (e) {
    isk.close(out);
    throw e;
  }
}
function closeStreams(s) {
  if (!s) return;
  for (const fd of [s.out, s.err]) {
    try {
      isk.close(fd);
    } catch {
    }
  }
}
function describeExit(w) {
  return w.signal ? `killed by ${w.signal}` : `exited with status ${w.code}`;
}

// initlib/reaper.ts
import isk2 from "isokernel";
var Reaper = class {
  waiters = /* @__PURE__ */ new Map();
  wake = null;
  running = false;
  /**
   * Whether children may appear that were not spawned here (init: orphans re-parented to PID
   * 1): then, with no children, wait is tried again every 250 ms; otherwise only after a spawn.
   */
  orphans;
  constructor(o = {}) {
    this.orphans = o.orphans ?? true;
  }
  /** Called for a child nobody registered: an orphan. */
  onOrphan = () => {
  };
  /** Called when wait fails in an unexpected way (the loop goes on). */
  onError = () => {
  };
  /** `fn` gets pid's status when it ends. Register right after a synchronous spawn. */
  watch(pid, fn) {
    this.waiters.set(pid, fn);
    this.wake?.();
  }
  /** A promise of pid's status. */
  exited(pid) {
    return new Promise((resolve) => this.watch(pid, resolve));
  }
  start() {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }
  async loop() {
    for (; ; ) {
      let w;
      try {
        w = await isk2.promises.wait(-1);
      } catch (e) {
        const code = e.code;
        if (code !== "ECHILD" && code !== "EINTR") this.onError(e);
        if (code === "EINTR") continue;
        await new Promise((resolve) => {
          const t = code !== "ECHILD" || this.orphans ? setTimeout(resolve, code === "ECHILD" ? 250 : 100) : null;
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
          this.onError(e);
        }
      } else {
        this.onOrphan(w);
      }
    }
  }
};

// initlib/supervisor.ts
import isk4 from "isokernel";

// initlib/readiness.ts
import isk3 from "isokernel";
var POLL_FAST_MS = 5;
var POLL_MS = 25;
var FAST_FOR_MS = 2e3;
var sockets = isk3;
async function tcpOnce(port) {
  const fd = sockets.socket("inet", "stream");
  try {
    const addr = { family: "inet", address: "127.0.0.1", port };
    if (sockets.promises.connect) await sockets.promises.connect(fd, addr);
    else sockets.connect(fd, addr);
    return true;
  } catch {
    return false;
  } finally {
    try {
      isk3.close(fd);
    } catch {
    }
  }
}
async function waitReady(r, ctx) {
  if (r.type === "none") return { ok: true };
  if (r.type === "tcp" && typeof sockets.socket !== "function") {
    ctx.warn(`tcp readiness on port ${r.port}: this kernel has no sockets; treating the service as ready`);
    return { ok: true };
  }
  const start = Date.now();
  const expired = () => r.timeoutMs > 0 && Date.now() - start >= r.timeoutMs;
  const what = r.type === "file" ? `file ${r.path}` : r.type === "command" ? `command \`${r.command}\`` : `tcp port ${r.port}`;
  for (; ; ) {
    if (!ctx.alive()) return { ok: false, why: "exited before it was ready" };
    let ok = false;
    if (r.type === "file") {
      try {
        isk3.stat(r.path);
        ok = true;
      } catch {
      }
    } else if (r.type === "command") {
      ok = await ctx.runCommand(r.command) === 0;
    } else {
      ok = await tcpOnce(r.port);
    }
    if (ok) return { ok: true };
    if (!ctx.alive()) return { ok: false, why: "exited before it was ready" };
    if (expired()) return { ok: false, why: `not ready after ${r.timeoutMs} ms (${what})` };
    const pause = r.type === "command" ? r.intervalMs : Date.now() - start < FAST_FOR_MS ? POLL_FAST_MS : POLL_MS;
    const left = r.timeoutMs > 0 ? r.timeoutMs - (Date.now() - start) : pause;
    await isk3.promises.sleep(Math.max(1, Math.min(pause, left)));
  }
}

// initlib/supervisor.ts
var SIGKILL = 9;
var SIGCONT = 18;
var DEFAULT_PATH = "/bin:/usr/bin:/sbin";
var Unit = class {
  spec;
  system;
  state = "pending";
  pid = null;
  restarts = 0;
  since = Date.now();
  lastExit = null;
  reason = null;
  /** Whether it has reached `running` since it was last (re)started by request. */
  wasReady = false;
  /** Whether it should run (false after a stop request or at shutdown). */
  wanted = true;
  /** Part of a dependency cycle: never started. */
  inCycle = false;
  /** Why it may never start (a bad manifest entry), or null. */
  refused = null;
  /** Consecutive failures, for the backoff. */
  failures = 0;
  /** Restart times within the crash-loop window. */
  recent = [];
  runStart = 0;
  notReady = null;
  timer = null;
  killTimer = null;
  exitWaiters = [];
  constructor(spec, system2 = false) {
    this.spec = spec;
    this.system = system2;
  }
  status() {
    return {
      name: this.spec.name,
      state: this.state,
      pid: this.pid,
      restarts: this.restarts,
      since: this.since,
      lastExit: this.lastExit ? { code: this.lastExit.code, signal: this.lastExit.signal } : null,
      reason: this.reason,
      system: this.system
    };
  }
};
var Supervisor = class {
  units = /* @__PURE__ */ new Map();
  reaper;
  log;
  shuttingDown = false;
  /** Called after every change of a unit's state (init's `wait-ready` requests). */
  onChange = null;
  constructor(reaper2, log2) {
    this.reaper = reaper2;
    this.log = log2;
  }
  add(spec, system2 = false) {
    const u = new Unit(spec, system2);
    this.units.set(spec.name, u);
    return u;
  }
  /** A service that must never start (a bad manifest entry): failed, with the reason. */
  refuse(u, reason) {
    u.refused = reason;
    this.fail(u, reason);
  }
  /** Marks unknown dependencies and cycles (the manifest checks these too; init defends). */
  checkGraph() {
    const color = /* @__PURE__ */ new Map();
    const stack = [];
    const visit = (name) => {
      const c = color.get(name) ?? 0;
      if (c === 2) return;
      if (c === 1) {
        for (const n of stack.slice(stack.indexOf(name))) this.units.get(n).inCycle = true;
        return;
      }
      color.set(name, 1);
      stack.push(name);
      for (const d of this.units.get(name).spec.dependsOn) if (this.units.has(d)) visit(d);
      stack.pop();
      color.set(name, 2);
    };
    for (const name of this.units.keys()) visit(name);
    for (const u of this.units.values()) {
      if (u.state === "failed") continue;
      const missing = u.spec.dependsOn.filter((d) => !this.units.has(d));
      if (missing.length > 0) this.fail(u, `depends on unknown service ${missing.join(", ")}`);
      else if (u.inCycle) this.fail(u, `dependency cycle: ${this.cycleOf(u)}`);
    }
  }
  cycleOf(u) {
    const names = [u.spec.name];
    for (let cur = u; ; ) {
      const next = cur.spec.dependsOn.map((d) => this.units.get(d)).find((d) => d.inCycle);
      if (!next || names.includes(next.spec.name)) {
        if (next) names.push(next.spec.name);
        return names.join(" -> ");
      }
      names.push(next.spec.name);
      cur = next;
    }
  }
  /** Starts what may start: called after every change of state. */
  schedule() {
    if (this.shuttingDown) return;
    let changed = true;
    while (changed) {
      changed = false;
      for (const u of this.units.values()) {
        if (u.state !== "pending" || !u.wanted) continue;
        let ready = true;
        for (const d of u.spec.dependsOn) {
          const dep = this.units.get(d);
          if (dep.state === "failed") {
            this.fail(u, `dependency ${d} failed`);
            changed = true;
            ready = false;
            break;
          }
          if (!dep.wasReady || dep.state === "stopped" || dep.state === "stopping" || dep.state === "pending") ready = false;
        }
        if (ready && u.state === "pending") this.start(u);
      }
    }
  }
  setState(u, s, reason = null) {
    u.state = s;
    u.since = Date.now();
    u.reason = reason;
    this.onChange?.();
  }
  fail(u, reason) {
    this.setState(u, "failed", reason);
    this.log.error(`service ${u.spec.name} failed: ${reason}`);
  }
  env(s) {
    return { PATH: DEFAULT_PATH, HOME: "/", ...s.env };
  }
  /** Spawns a service's program with its log streams; throws what spawn throws. */
  spawnUnit(u) {
    const s = u.spec;
    const argv0 = s.program.slice(s.program.lastIndexOf("/") + 1);
    const streams = u.spec.name === "syslogd" && u.system ? null : openStreams(s.name);
    try {
      return isk4.spawn(s.program, [argv0, ...s.args], {
        env: this.env(s),
        cwd: s.cwd,
        setsid: true,
        uid: s.uid,
        gid: s.gid,
        limits: s.limits,
        search: !s.program.includes("/"),
        fds: streams ? { 0: "null", 1: streams.out, 2: streams.err } : { 0: "null" }
      });
    } finally {
      closeStreams(streams);
    }
  }
  start(u) {
    this.setState(u, "starting");
    u.notReady = null;
    u.runStart = Date.now();
    let pid;
    try {
      pid = this.spawnUnit(u);
    } catch (e) {
      const err = e;
      this.log.error(`service ${u.spec.name}: cannot start ${u.spec.program}: ${err.message}`);
      u.pid = null;
      this.exited(u, { pid: 0, status: 0, code: err.code === "ENOENT" ? 127 : 126, signal: null, stopped: false, continued: false });
      return;
    }
    u.pid = pid;
    this.reaper.watch(pid, (w) => this.exited(u, w));
    this.log.info(`service ${u.spec.name} started (pid ${pid})`);
    void waitReady(u.spec.readiness, {
      alive: () => u.pid === pid,
      runCommand: (cmd) => this.runCheck(u, cmd),
      warn: (m) => this.log.warn(`service ${u.spec.name}: ${m}`)
    }).then((r) => {
      if (u.pid !== pid || u.state !== "starting") return;
      if (r.ok) {
        this.setState(u, "running");
        u.wasReady = true;
        if (u.spec.readiness.type !== "none") this.log.info(`service ${u.spec.name} ready`);
        this.schedule();
        return;
      }
      u.notReady = r.why;
      this.log.error(`service ${u.spec.name}: ${r.why}; stopping it`);
      this.signalUnit(u, u.spec.stopSignal, u.spec.stopTimeoutMs);
    });
  }
  runCheck(u, cmd) {
    let pid;
    try {
      pid = isk4.spawn("/bin/sh", ["sh", "-c", cmd], {
        env: this.env(u.spec),
        cwd: u.spec.cwd,
        uid: u.spec.uid,
        gid: u.spec.gid,
        fds: { 0: "null", 1: "null", 2: "null" }
      });
    } catch (e) {
      this.log.warn(`service ${u.spec.name}: readiness command: ${e.message}`);
      return Promise.resolve(127);
    }
    return this.reaper.exited(pid).then((w) => w.code);
  }
  /** sig to the service's group (and SIGCONT, so a stopped one sees it), SIGKILL after graceMs. */
  signalUnit(u, sig, graceMs) {
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
  kill(pid, sig, alone = true) {
    try {
      isk4.kill(-pid, sig);
      return;
    } catch {
    }
    if (!alone) return;
    try {
      isk4.kill(pid, sig);
    } catch {
    }
  }
  exited(u, w) {
    if (u.killTimer) {
      clearTimeout(u.killTimer);
      u.killTimer = null;
    }
    u.pid = null;
    u.lastExit = w;
    if (w.pid > 0) this.kill(w.pid, SIGKILL, false);
    const waiters = u.exitWaiters.splice(0);
    const name = u.spec.name;
    if (w.pid > 0) this.log.notice(`service ${name} (pid ${w.pid}) ${describeExit(w)}`);
    if (!u.wanted || u.state === "stopping" || this.shuttingDown) {
      this.setState(u, "stopped");
      for (const fn of waiters) fn();
      this.schedule();
      return;
    }
    for (const fn of waiters) fn();
    const failure = w.code !== 0 || w.signal !== null || u.notReady !== null;
    const policy = u.spec.restart;
    if (policy === "no" || policy === "on-failure" && !failure) {
      if (failure) this.fail(u, u.notReady ?? describeExit(w));
      else this.setState(u, "stopped", describeExit(w));
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
    this.setState(u, "backoff", u.notReady ?? describeExit(w));
    this.log.notice(`service ${name} restarting in ${formatDelay(delay)}`);
    u.timer = setTimeout(() => {
      u.timer = null;
      if (u.state !== "backoff" || this.shuttingDown) return;
      u.recent.push(Date.now());
      u.restarts++;
      this.start(u);
    }, delay);
  }
  /** Stops a service: resolves when it is stopped. */
  stop(u, why = "stop requested") {
    u.wanted = false;
    if (u.timer) {
      clearTimeout(u.timer);
      u.timer = null;
    }
    if (u.pid === null) {
      if (u.state !== "failed") this.setState(u, "stopped", why);
      return Promise.resolve();
    }
    const done = new Promise((resolve) => u.exitWaiters.push(resolve));
    if (u.state !== "stopping") {
      this.setState(u, "stopping");
      this.log.info(`stopping service ${u.spec.name} (pid ${u.pid}) with ${sigName(u.spec.stopSignal)}`);
      this.signalUnit(u, u.spec.stopSignal, u.spec.stopTimeoutMs);
    }
    return done;
  }
  /** `service start`: a stopped or failed service runs again (its crash count reset). */
  request(u) {
    u.wanted = true;
    u.failures = 0;
    u.recent = [];
    u.notReady = null;
    if (u.refused !== null || u.inCycle) return;
    if (u.state === "stopped" || u.state === "failed" || u.state === "pending") {
      u.wasReady = false;
      this.setState(u, "pending");
      this.schedule();
    }
  }
  /** The services that depend on u. */
  dependents(u) {
    return [...this.units.values()].filter((d) => d.spec.dependsOn.includes(u.spec.name));
  }
  /** Stops `units` in reverse dependency order, each once its dependents have stopped. */
  async stopAll(units, why) {
    const memo = /* @__PURE__ */ new Map();
    const set = new Set(units);
    const stopOne = (u) => {
      let p = memo.get(u);
      if (p) return p;
      const deps = u.inCycle ? [] : this.dependents(u).filter((d) => set.has(d) && !d.inCycle);
      p = Promise.all(deps.map(stopOne)).then(() => this.stop(u, why));
      memo.set(u, p);
      return p;
    };
    await Promise.all(units.map(stopOne));
  }
};
function sigName(n) {
  for (const [k, v] of Object.entries(isk4.signals)) if (v === n) return `SIG${k}`;
  return `signal ${n}`;
}
function formatDelay(ms) {
  return ms >= 1e3 ? `${(ms / 1e3).toFixed(ms % 1e3 === 0 ? 0 : 1)}s` : `${ms}ms`;
}

// init.ts
var MANIFEST = "/etc/isokernel/manifest.json";
var REQ_FD = 3;
var REPLY_FD = 4;
var SBIN = path.dirname(process.argv[1] ?? "/sbin/init.ts");
var log = new Logger("init");
process.on("uncaughtException", (e) => log.error(`internal error: ${e?.stack ?? e}`));
process.on("unhandledRejection", (e) => log.error(`internal error: ${e?.stack ?? e}`));
var reaper = new Reaper();
var sup = new Supervisor(reaper, log);
reaper.onOrphan = (w) => log.info(`reaped orphan pid ${w.pid} (${w.signal ? `killed by ${w.signal}` : `status ${w.code}`})`);
reaper.onError = (e) => log.error(`wait: ${e.message}`);
function takeControlFds() {
  const isDir = (fd) => {
    try {
      return isk5.fstat(fd).type === "directory";
    } catch {
      return null;
    }
  };
  if (isDir(REQ_FD) !== false || isDir(REPLY_FD) !== false) return null;
  const req = isk5.dup(REQ_FD);
  const rep = isk5.dup(REPLY_FD);
  isk5.cloexec(req);
  isk5.cloexec(rep);
  isk5.close(REQ_FD);
  isk5.close(REPLY_FD);
  let next = REQ_FD;
  for (let fd = REPLY_FD + 1; fd < 64; fd++) {
    if (fd === req || fd === rep || isDir(fd) !== true) continue;
    isk5.dup2(fd, next++);
    isk5.close(fd);
  }
  return { req, rep };
}
var control = takeControlFds();
function loadManifest() {
  const file = process.argv[2] ?? MANIFEST;
  let m;
  try {
    m = JSON.parse(readFileSync(file, "utf8"));
    if (typeof m !== "object" || m === null || Array.isArray(m)) throw new Error("not a JSON object");
  } catch (e) {
    log.error(`cannot read the manifest ${file}: ${e.message}; running without services`);
    return null;
  }
  if (!Array.isArray(m.services)) m.services = [];
  if (!Array.isArray(m.cron)) m.cron = [];
  if (typeof m.logs !== "object" || m.logs === null) m.logs = { files: [], remote: null };
  if (!Array.isArray(m.logs.files)) m.logs.files = [];
  m.logs.remote ??= null;
  for (const s of m.services) {
    const limits = s?.limits;
    if (typeof limits !== "object" || limits === null) continue;
    for (const [k, v] of Object.entries(limits)) if (v === "Infinity") limits[k] = Infinity;
  }
  return m;
}
function exists(p) {
  try {
    return isk5.stat(p).type === "file";
  } catch {
    return false;
  }
}
function systemService(name, script) {
  return {
    name,
    program: "node",
    args: [script],
    env: {},
    cwd: "/",
    uid: 0,
    gid: 0,
    restart: "always",
    backoffMs: { initial: 200, max: 1e4 },
    crashLoop: { maxRestarts: 10, windowMs: 6e4 },
    dependsOn: [],
    limits: {},
    readiness: { type: "none" },
    stopSignal: isk5.signals.TERM,
    stopTimeoutMs: 5e3
  };
}
var manifest = loadManifest();
var system = [];
reaper.start();
var syslogd = [path.join(SBIN, "syslogd.mjs"), path.join(SBIN, "syslogd.ts")].find(exists) ?? path.join(SBIN, "syslogd.ts");
var logsWanted = manifest !== null && (manifest.logs.files.length > 0 || manifest.logs.remote !== null);
if (logsWanted && exists(syslogd)) system.push(sup.add(systemService("syslogd", syslogd), true));
else if (logsWanted) log.error(`${syslogd} not found: no syslogd`);
if (manifest && manifest.cron.length > 0) {
  const crond = [path.join(SBIN, "crond.mjs"), path.join(SBIN, "crond.ts")].find(exists);
  if (crond) system.push(sup.add(systemService("crond", crond), true));
  else log.error(`the manifest has cron jobs but ${SBIN}/crond.mjs is missing`);
}
for (const u of system) sup.start(u);
var refused = /* @__PURE__ */ new Map();
for (const [i, s] of (Array.isArray(manifest?.services) ? manifest.services : []).entries()) {
  const name = typeof s?.name === "string" && s.name !== "" ? s.name : `#${i + 1}`;
  if (sup.units.has(name)) {
    log.error(`service ${name}: the name is taken${system.some((u) => u.spec.name === name) ? ` by init's own ${name}` : ""}; not started`);
    continue;
  }
  const why = checkService(s);
  if (why === null) sup.add(s);
  else {
    sup.add(refusedService(s, name));
    refused.set(name, `bad manifest entry: ${why}`);
  }
}
for (const [name, why] of refused) sup.refuse(sup.units.get(name), why);
sup.checkGraph();
sup.schedule();
log.info(`init: ${manifest?.name ?? "no image"}${manifest ? ` ${manifest.version}` : ""}, ${sup.units.size - system.length} services`);
var stopping = null;
function shutdown(sig) {
  if (stopping) return;
  log.notice(`${sig}: stopping services`);
  sup.shuttingDown = true;
  const services = [...sup.units.values()].filter((u) => !u.system);
  const crond = system.filter((u) => u.spec.name === "crond");
  const logd = system.filter((u) => u.spec.name === "syslogd");
  stopping = (async () => {
    await sup.stopAll(services, "shutdown");
    await sup.stopAll(crond, "shutdown");
    if (logd.length > 0) log.notice("services stopped; stopping syslogd");
    await sup.stopAll(logd, "shutdown");
    log.notice("shutdown complete");
  })().then(async () => {
    await log.flush();
    process.exit(0);
  }, async (e) => {
    log.error(`shutdown: ${e.message}`);
    await log.flush();
    process.exit(1);
  });
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
for (const sig of ["SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGVTALRM", "SIGPROF", "SIGXCPU", "SIGXFSZ", "SIGPWR", "SIGSTKFLT"]) {
  process.on(sig, () => log.notice(`${sig} ignored`));
}
var replies = Promise.resolve();
function reply(msg) {
  const line = JSON.stringify(msg) + "\n";
  replies = replies.then(() => isk5.promises.write(control.rep, line)).catch(() => {
  });
}
async function handle(req) {
  if (req.op !== "service") return { ok: false, error: `unknown op ${JSON.stringify(req.op)}` };
  const action = req.action;
  const name = typeof req.name === "string" && req.name !== "" ? req.name : null;
  if (action === "wait-ready") return { ok: true, services: await settled() };
  if (action === "status") {
    if (name === null) return { ok: true, services: [...sup.units.values()].map((u3) => u3.status()) };
    const u2 = sup.units.get(name);
    return u2 ? { ok: true, services: [u2.status()] } : { ok: false, error: `no service ${name}` };
  }
  if (action !== "start" && action !== "stop" && action !== "restart" && action !== "reload") {
    return { ok: false, error: `unknown action ${JSON.stringify(action)} (status, start, stop, restart, reload)` };
  }
  if (name === null) return { ok: false, error: `service ${action} needs a service name` };
  const u = sup.units.get(name);
  if (!u) return { ok: false, error: `no service ${name}` };
  if (stopping) return { ok: false, error: "init is shutting down" };
  if (action === "reload") {
    if (u.pid === null || u.state !== "running" && u.state !== "starting") {
      return { ok: false, error: `service ${name} is ${u.state}, not running`, services: [u.status()] };
    }
    log.info(`service ${name}: reload requested (SIGHUP to pid ${u.pid})`);
    isk5.kill(u.pid, "SIGHUP");
    return { ok: true, services: [u.status()] };
  }
  if (action === "stop" || action === "restart") {
    log.info(`service ${name}: ${action} requested`);
    await sup.stop(u, "stopped by request");
  }
  if (action === "start" || action === "restart") {
    if (u.refused !== null || u.inCycle) return { ok: false, error: `service ${name} cannot start: ${u.reason}`, services: [u.status()] };
    if (action === "start") log.info(`service ${name}: start requested`);
    for (const d of u.spec.dependsOn) {
      const dep = sup.units.get(d);
      if (dep && (dep.state === "stopped" || dep.state === "failed")) {
        return { ok: false, error: `service ${name} depends on ${d}, which is ${dep.state}`, services: [u.status()] };
      }
    }
    sup.request(u);
  }
  return { ok: true, services: [u.status()] };
}
var settledWaiters = [];
function isSettled() {
  if (stopping) return true;
  for (const u of sup.units.values()) {
    if (u.system || u.state === "running" || u.state === "failed") continue;
    if (u.state === "stopped" && u.spec.restart === "no") continue;
    return false;
  }
  return true;
}
function settled() {
  return new Promise((resolve) => {
    settledWaiters.push(resolve);
    checkSettled();
  });
}
function checkSettled() {
  if (settledWaiters.length === 0 || !isSettled()) return;
  const list = [...sup.units.values()].map((u) => u.status());
  for (const w of settledWaiters.splice(0)) w(list);
}
sup.onChange = checkSettled;
async function serve() {
  if (!control) return;
  let buf = "";
  const dec = new TextDecoder();
  for (; ; ) {
    let chunk;
    try {
      chunk = await isk5.promises.read(control.req, 65536);
    } catch {
      return;
    }
    if (chunk.length === 0) return;
    buf += dec.decode(chunk, { stream: true });
    let nl;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line === "") continue;
      let req;
      try {
        req = JSON.parse(line);
        if (typeof req !== "object" || req === null) throw new Error("not an object");
      } catch (e) {
        reply({ id: null, ok: false, error: `bad request: ${e.message}` });
        continue;
      }
      const id = req.id ?? null;
      handle(req).then((r) => reply({ id, ...r }), (e) => reply({ id, ok: false, error: e.message }));
    }
    if (buf.length > 1 << 20) buf = "";
  }
}
void serve();
