// init, PID 1 of an image (docs/services.md). Reads the manifest (/etc/isokernel/manifest.json,
// or argv[2]), starts syslogd first, crond when there are cron jobs, then the services in
// dependency order (initlib/supervisor.ts), reaps every child including re-parented orphans
// (initlib/reaper.ts), and serves the kernel's requests: JSON lines on fd 3, replies on fd 4
// (src/image/control.ts forwards `isokernel service` to it). SIGTERM or SIGINT: services
// stop in reverse dependency order, then crond, then syslogd; init exits 0.
import isk from 'isokernel';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Manifest, Service } from '../../src/image/manifest-types.ts';
import { checkService, refusedService } from './initlib/check.ts';
import { Logger } from './initlib/log.ts';
import { Reaper } from './initlib/reaper.ts';
import { type Unit, Supervisor } from './initlib/supervisor.ts';

const MANIFEST = '/etc/isokernel/manifest.json';
const REQ_FD = 3;
const REPLY_FD = 4;
const SBIN = path.dirname(process.argv[1] ?? '/sbin/init.ts');

const log = new Logger('init');
// PID 1 must not end on a bug of its own: an uncaught error is logged and init goes on.
process.on('uncaughtException', (e) => log.error(`internal error: ${e?.stack ?? e}`));
process.on('unhandledRejection', (e) => log.error(`internal error: ${(e as Error)?.stack ?? e}`));
const reaper = new Reaper();
const sup = new Supervisor(reaper, log);
reaper.onOrphan = (w) => log.info(`reaped orphan pid ${w.pid} (${w.signal ? `killed by ${w.signal}` : `status ${w.code}`})`);
reaper.onError = (e) => log.error(`wait: ${e.message}`);

/**
 * The kernel gives init its control pipes as fds 3 and 4, and its preopened directories
 * after them. They move: the pipes up, close-on-exec (services must not get them), and the
 * preopens down to 3, 4, ... — a WASI program finds its preopens by scanning from fd 3 and
 * stops at the first gap, so children inheriting a gap at 3 could open no path.
 * Returns the pipes' new numbers, or null when init runs without a channel.
 */
function takeControlFds(): { req: number; rep: number } | null {
  const isDir = (fd: number): boolean | null => {
    try {
      return isk.fstat(fd).type === 'directory';
    } catch {
      return null; // not open
    }
  };
  if (isDir(REQ_FD) !== false || isDir(REPLY_FD) !== false) return null;
  const req = isk.dup(REQ_FD);
  const rep = isk.dup(REPLY_FD);
  isk.cloexec(req);
  isk.cloexec(rep);
  isk.close(REQ_FD);
  isk.close(REPLY_FD);
  let next = REQ_FD;
  for (let fd = REPLY_FD + 1; fd < 64; fd++) {
    if (fd === req || fd === rep || isDir(fd) !== true) continue;
    isk.dup2(fd, next++);
    isk.close(fd);
  }
  return { req, rep };
}
const control = takeControlFds();

/** The manifest, its lists made sure of (each service is checked later); null if unreadable. */
function loadManifest(): Manifest | null {
  const file = process.argv[2] ?? MANIFEST;
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new Error('not a JSON object');
  } catch (e) {
    log.error(`cannot read the manifest ${file}: ${(e as Error).message}; running without services`);
    return null;
  }
  if (!Array.isArray(m.services)) m.services = [];
  if (!Array.isArray(m.cron)) m.cron = [];
  if (typeof m.logs !== 'object' || m.logs === null) m.logs = { files: [], remote: null };
  if (!Array.isArray(m.logs.files)) m.logs.files = [];
  m.logs.remote ??= null;
  // boot.ts writes an unlimited limit as the string "Infinity" (JSON has no Infinity).
  for (const s of m.services) {
    const limits = (s as { limits?: unknown })?.limits;
    if (typeof limits !== 'object' || limits === null) continue;
    for (const [k, v] of Object.entries(limits)) if (v === 'Infinity') (limits as Record<string, number>)[k] = Infinity;
  }
  return m;
}

function exists(p: string): boolean {
  try {
    return isk.stat(p).type === 'file';
  } catch {
    return false;
  }
}

/**
 * A helper of init's own (syslogd, crond): always restarted, root, no readiness. Run as
 * `node SCRIPT` (node found by PATH), so the script needs no execute bit.
 */
function systemService(name: string, script: string): Service {
  return {
    name, program: 'node', args: [script], env: {}, cwd: '/', uid: 0, gid: 0, restart: 'always',
    backoffMs: { initial: 200, max: 10_000 }, crashLoop: { maxRestarts: 10, windowMs: 60_000 }, dependsOn: [],
    limits: {}, readiness: { type: 'none' }, stopSignal: isk.signals.TERM, stopTimeoutMs: 5000,
  };
}

const manifest = loadManifest();
const system: Unit[] = [];
reaper.start();

// syslogd first, when the manifest has logs to write or forward (without it, log records
// go to the host's stderr). The queue holds records until it reads them: nothing waits.
// The bundle (userland/sbin/build.sh) is what runs when it is there: one module to load
// instead of six, on the boot's path; syslogd.ts is its source.
const syslogd = [path.join(SBIN, 'syslogd.mjs'), path.join(SBIN, 'syslogd.ts')].find(exists) ?? path.join(SBIN, 'syslogd.ts');
const logsWanted = manifest !== null && (manifest.logs.files.length > 0 || manifest.logs.remote !== null);
if (logsWanted && exists(syslogd)) system.push(sup.add(systemService('syslogd', syslogd), true));
else if (logsWanted) log.error(`${syslogd} not found: no syslogd`);
if (manifest && manifest.cron.length > 0) {
  // The bundle (croner inside, userland/sbin/build.sh) is what runs; crond.ts is its source.
  const crond = [path.join(SBIN, 'crond.mjs'), path.join(SBIN, 'crond.ts')].find(exists);
  if (crond) system.push(sup.add(systemService('crond', crond), true));
  else log.error(`the manifest has cron jobs but ${SBIN}/crond.mjs is missing`);
}
for (const u of system) sup.start(u);

const refused = new Map<string, string>();
for (const [i, s] of (Array.isArray(manifest?.services) ? manifest.services : []).entries()) {
  const name = typeof (s as { name?: unknown })?.name === 'string' && s.name !== '' ? s.name : `#${i + 1}`;
  if (sup.units.has(name)) {
    log.error(`service ${name}: the name is taken${system.some((u) => u.spec.name === name) ? ` by init's own ${name}` : ''}; not started`);
    continue;
  }
  const why = checkService(s);
  if (why === null) sup.add(s);
  else {
    sup.add(refusedService(s, name));
    refused.set(name, `bad manifest entry: ${why}`);
  }
}
for (const [name, why] of refused) sup.refuse(sup.units.get(name)!, why);
sup.checkGraph();
sup.schedule();
log.info(`init: ${manifest?.name ?? 'no image'}${manifest ? ` ${manifest.version}` : ''}, ${sup.units.size - system.length} services`);

// ---- shutdown ----

let stopping: Promise<void> | null = null;
function shutdown(sig: string): void {
  if (stopping) return;
  log.notice(`${sig}: stopping services`);
  sup.shuttingDown = true;
  const services = [...sup.units.values()].filter((u) => !u.system);
  const crond = system.filter((u) => u.spec.name === 'crond');
  const logd = system.filter((u) => u.spec.name === 'syslogd');
  stopping = (async () => {
    await sup.stopAll(services, 'shutdown');
    await sup.stopAll(crond, 'shutdown');
    if (logd.length > 0) log.notice('services stopped; stopping syslogd');
    await sup.stopAll(logd, 'shutdown');
    log.notice('shutdown complete');
  })().then(async () => {
    await log.flush();
    process.exit(0);
  }, async (e: Error) => {
    log.error(`shutdown: ${e.message}`);
    await log.flush();
    process.exit(1);
  });
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
// The kernel does not shield PID 1 from signals (Linux does): the ones whose default would
// end init are caught and logged. (SIGKILL cannot be; SIGPIPE is ignored by the runtime.)
for (const sig of ['SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGVTALRM', 'SIGPROF', 'SIGXCPU', 'SIGXFSZ', 'SIGPWR', 'SIGSTKFLT'] as const) {
  process.on(sig as NodeJS.Signals, () => log.notice(`${sig} ignored`));
}

// ---- the kernel's requests: fd 3 in, fd 4 out ----

interface Request {
  id?: unknown;
  op?: unknown;
  action?: unknown;
  name?: unknown;
}

let replies: Promise<unknown> = Promise.resolve();
function reply(msg: Record<string, unknown>): void {
  const line = JSON.stringify(msg) + '\n';
  replies = replies.then(() => isk.promises.write(control!.rep, line)).catch(() => { /* the kernel side is gone */ });
}

async function handle(req: Request): Promise<Record<string, unknown>> {
  if (req.op !== 'service') return { ok: false, error: `unknown op ${JSON.stringify(req.op)}` };
  const action = req.action;
  const name = typeof req.name === 'string' && req.name !== '' ? req.name : null;
  if (action === 'wait-ready') return { ok: true, services: await settled() };
  if (action === 'status') {
    if (name === null) return { ok: true, services: [...sup.units.values()].map((u) => u.status()) };
    const u = sup.units.get(name);
    return u ? { ok: true, services: [u.status()] } : { ok: false, error: `no service ${name}` };
  }
  if (action !== 'start' && action !== 'stop' && action !== 'restart' && action !== 'reload') {
    return { ok: false, error: `unknown action ${JSON.stringify(action)} (status, start, stop, restart, reload)` };
  }
  if (name === null) return { ok: false, error: `service ${action} needs a service name` };
  const u = sup.units.get(name);
  if (!u) return { ok: false, error: `no service ${name}` };
  if (stopping) return { ok: false, error: 'init is shutting down' };
  if (action === 'reload') {
    // SIGHUP to the service's main process: servers re-read their configuration.
    if (u.pid === null || (u.state !== 'running' && u.state !== 'starting')) {
      return { ok: false, error: `service ${name} is ${u.state}, not running`, services: [u.status()] };
    }
    log.info(`service ${name}: reload requested (SIGHUP to pid ${u.pid})`);
    isk.kill(u.pid, 'SIGHUP');
    return { ok: true, services: [u.status()] };
  }
  if (action === 'stop' || action === 'restart') {
    log.info(`service ${name}: ${action} requested`);
    await sup.stop(u, 'stopped by request');
  }
  if (action === 'start' || action === 'restart') {
    if (u.refused !== null || u.inCycle) return { ok: false, error: `service ${name} cannot start: ${u.reason}`, services: [u.status()] };
    if (action === 'start') log.info(`service ${name}: start requested`);
    for (const d of u.spec.dependsOn) {
      const dep = sup.units.get(d);
      if (dep && (dep.state === 'stopped' || dep.state === 'failed')) {
        return { ok: false, error: `service ${name} depends on ${d}, which is ${dep.state}`, services: [u.status()] };
      }
    }
    sup.request(u);
  }
  return { ok: true, services: [u.status()] };
}

/**
 * `wait-ready` (the kernel's boot, src/image/boot.ts): the status of every unit once no
 * manifest service is on its way — each running (ready), failed, or stopped for good
 * (restart "no") — or init is shutting down. Answered when a state change makes it so.
 */
const settledWaiters: ((s: ReturnType<Unit['status']>[]) => void)[] = [];
function isSettled(): boolean {
  if (stopping) return true;
  for (const u of sup.units.values()) {
    if (u.system || u.state === 'running' || u.state === 'failed') continue;
    if (u.state === 'stopped' && u.spec.restart === 'no') continue;
    return false;
  }
  return true;
}
function settled(): Promise<ReturnType<Unit['status']>[]> {
  return new Promise((resolve) => {
    settledWaiters.push(resolve);
    checkSettled();
  });
}
function checkSettled(): void {
  if (settledWaiters.length === 0 || !isSettled()) return;
  const list = [...sup.units.values()].map((u) => u.status());
  for (const w of settledWaiters.splice(0)) w(list);
}
sup.onChange = checkSettled;

async function serve(): Promise<void> {
  if (!control) return; // init run by hand: no requests
  let buf = '';
  const dec = new TextDecoder();
  for (;;) {
    let chunk: Uint8Array;
    try {
      chunk = await isk.promises.read(control.req, 65536);
    } catch {
      return; // the kernel closed its end
    }
    if (chunk.length === 0) return;
    buf += dec.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line === '') continue;
      let req: Request;
      try {
        req = JSON.parse(line) as Request;
        if (typeof req !== 'object' || req === null) throw new Error('not an object');
      } catch (e) {
        reply({ id: null, ok: false, error: `bad request: ${(e as Error).message}` });
        continue;
      }
      const id = req.id ?? null;
      handle(req).then((r) => reply({ id, ...r }), (e: Error) => reply({ id, ok: false, error: e.message }));
    }
    if (buf.length > 1 << 20) buf = ''; // a line that never ends: dropped
  }
}
void serve();
