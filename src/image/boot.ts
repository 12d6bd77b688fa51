// Booting an image: from a directory (isokernel.toml + files) or an image file (archive.ts).
//
//   const b = await bootImage({ image: 'examples/demo-image', stateDir: '/var/lib/demo' });
//   await b.ready;                      // every service started and ready
//   const status = await b.shutdown();  // SIGTERM to init; init stops the services
//
// The sequence (contracts.md):
//   1. The manifest: a directory's isokernel.toml is validated (manifest.ts); an image file
//      is read whole and verified (archive.ts: checksums of every member and of the whole)
//      and carries the manifest already normalized, so no TOML is parsed at its boot. The JS
//      worker pool (jsproc/pool.ts) is sized first, so isolates boot while the rest is set up.
//   2. The kernel, with the manifest's mounts: `image` = the image's files read-only (a
//      directory image: hostfs on the directory; an image file: a read-only tmpfs filled
//      from the archive, nothing written on the host); `state` = hostfs under the state
//      directory (made if missing; /var by default, so /var outlives the image); `tmpfs`;
//      `host` = a host directory. Plus /etc/isokernel/manifest.json (the normalized manifest,
//      in the root tmpfs) and /sbin = the package's userland/sbin read-only (init, syslogd,
//      crond, httpd). Mount points are made on the way (deeper mounts after their parents).
//   3. The control socket (src/image/control.ts, INIT's), at STATE/control.sock.
//   4. /sbin/init.ts as PID 1 (uid 0, argv ['init']), fd 3 = the read end of the kernel→init
//      request pipe, fd 4 = the write end of the init→kernel reply pipe; requests and replies
//      are JSON lines carrying an id (init-channel.ts, INIT's). Spawned before the control
//      server so that it is PID 1.
//   5. `ready` resolves when init reports every service of the manifest running (or ended
//      cleanly with restart = "no"): one `wait-ready` request over the pipe, which init
//      answers when the last service settles (an init without it is polled for the status).
// shutdown(): SIGTERM to init (which stops services in reverse dependency order), then the
// kernel kills whatever is left; resolves with init's exit status.
import { channel as diagChannel } from 'node:diagnostics_channel';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import posix from 'node:path/posix';
import { SIG } from '../abi/signals.ts';
import { errnoName } from '../abi/wasi.ts';
import { Kernel, type StdioSpec } from '../kernel/kernel.ts';
import { DEFAULT_HEAP_MB, heapMbFor, prewarmJs, setJsPoolSize } from '../kernel/jsproc/pool.ts';
import type { ExitStatus, Process } from '../kernel/proc/process.ts';
import type { Loc } from '../kernel/vfs/namespace.ts';
import { TmpDir, TmpFs } from '../kernel/vfs/tmpfs.ts';
import type { ImageEntry } from './archive.ts';
import { type InitChannel, type ServiceStatus, spawnInit } from './init-channel.ts';
import { type Manifest, MANIFEST_GUEST_PATH, manifestToJson } from './manifest-types.ts';

/** The package's system programs (init, syslogd, crond, httpd), served at /sbin. */
export const USERLAND_SBIN = fileURLToPath(new URL('../../userland/sbin/', import.meta.url));

export interface BootImageOptions {
  /** An image directory (with isokernel.toml) or an image file. */
  image: string;
  /** The host directory for the image's state: /var lives in STATE/var, the control socket is STATE/control.sock. */
  stateDir: string;
  /** init's stdout and stderr (before syslogd takes over, and init's own messages). Default 'inherit'. */
  stdio?: [StdioSpec, StdioSpec];
  /** The host directory served at /sbin; default the package's userland/sbin. */
  sbin?: string;
  /** Start the control socket server (when src/image/control.ts is there). Default true. */
  control?: boolean;
  /** JS workers booted ahead for the boot; default one per JS program starting (bootPoolSize). */
  jsPool?: number;
}

export type { ServiceStatus };

export interface BootedImage {
  kernel: Kernel;
  manifest: Manifest;
  init: Process;
  /** The image file's digest (hex), or null for a directory image. */
  digest: string | null;
  /** The control socket server, or null. */
  control: { close(): Promise<void> | void } | null;
  /** Requests to init over its pipe (`{op: 'service', action, name}`); resolves with the reply. */
  request(msg: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Every service running (or ended cleanly with restart "no"); rejects if init ends first. */
  ready: Promise<ServiceStatus[]>;
  /** Resolves when init (PID 1) ends. */
  exited: Promise<ExitStatus>;
  /** SIGTERM (or `sig`) to init, wait for it, kill what is left; init's status. */
  shutdown(sig?: number): Promise<ExitStatus>;
}

/**
 * Boot's phases as they end, `{ phase, ms }` (ms since bootImage was called): 'manifest',
 * 'kernel' (mounts made), 'init' (PID 1 spawned), 'control', 'ready'. For the bench.
 */
export const bootPhase = diagChannel('isokernel:boot:phase');

/** Errors of boot itself (not of the image's programs): message says what and where. */
export class BootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootError';
  }
}

export async function bootImage(o: BootImageOptions): Promise<BootedImage> {
  const t0 = performance.now();
  const phase = (name: string): void => {
    if (bootPhase.hasSubscribers) bootPhase.publish({ phase: name, ms: performance.now() - t0 });
  };
  const imagePath = resolve(o.image);
  const st = statSync(imagePath, { throwIfNoEntry: false });
  if (!st) throw new BootError(`${o.image}: no such file or directory`);

  // 1. The manifest (and the files, for an image file).
  let manifest: Manifest;
  let entries: ImageEntry[] | null = null;
  let digest: string | null = null;
  if (st.isDirectory()) {
    const { loadManifest } = await import('./manifest.ts');
    manifest = loadManifest(join(imagePath, 'isokernel.toml'), { imageDir: imagePath });
  } else {
    const { looksLikeArchive, readImage } = await import('./archive.ts');
    const head = readFileSync(imagePath).subarray(0, 512);
    if (!looksLikeArchive(head)) throw new BootError(`${o.image}: not an image file (neither a tar archive nor gzip) nor a directory`);
    const img = await readImage(imagePath);
    manifest = img.manifest;
    entries = img.entries;
    digest = img.digest;
  }
  phase('manifest');
  // One booted isolate for each JS program that starts now (init, syslogd, crond when there
  // are jobs, the JS services): they boot on other cores while the kernel is set up. The
  // pool's target is left as it is (the host command sets it to 0 first, so that those
  // spawns do not boot replacements on the boot's critical path); it becomes
  // image.js_pool once every service is ready.
  if (o.jsPool !== undefined) prewarmJs(o.jsPool);
  else for (const [heapMb, n] of bootJsHeaps(manifest)) prewarmJs(n, heapMb);

  // 2. The kernel and its mounts.
  const stateDir = resolve(o.stateDir);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  // [metrics] (added by SAR; src/metrics/collector.ts): the activity history in STATE/sa.db
  // (sar), /dev/sa, the control socket's sar op, and Prometheus when `listen` is set.
  const mx = manifest.metrics;
  const metrics = mx?.enabled === false ? false
    : { db: join(stateDir, 'sa.db'), ...(mx ? { intervalMs: mx.intervalMs, retentionMs: mx.retentionMs, listen: mx.listen } : {}) };
  // [network] (added by NET; net/stack.ts): outbound only to the manifest's egress rules
  // (none by default), its listen mappings on the host; other guest ports on 127.0.0.1 at
  // ports the host picks (reachable from inside the image, not at a known host port).
  const network = { egress: manifest.network.egress, listen: manifest.network.listen, unlisted: 'ephemeral' as const };
  const kernel = await Kernel.boot({ hostname: manifest.hostname, metrics, network });
  // Log records wait in the kernel's queue for syslogd, which init starts first when there
  // are logs to write or forward; else they go to the host's stderr (docs/logging.md).
  kernel.log.hold = manifest.logs.files.length > 0 || manifest.logs.remote !== null;
  try {
    const root = kernel.ns.root.vnode as TmpDir;
    const etc = ensureDir(root, ['etc', 'isokernel'], 0o755);
    etc.addFile(posix.basename(MANIFEST_GUEST_PATH), 0o644, new TextEncoder().encode(manifestToJson(manifest)));
    const sbin = o.sbin ?? USERLAND_SBIN;
    if (!existsSync(join(sbin, 'init.ts'))) throw new BootError(`${join(sbin, 'init.ts')}: no init`);
    mountAt(kernel, '/sbin', { type: 'hostfs', host: sbin, readOnly: true });
    const mounts = [...manifest.mounts].sort((a, b) => a.path.split('/').length - b.path.split('/').length);
    for (const m of mounts) {
      switch (m.type) {
        case 'image':
          if (entries) mountAt(kernel, m.path, imageTmpfs(entries, m.source));
          else mountAt(kernel, m.path, { type: 'hostfs', host: join(imagePath, m.source), readOnly: true });
          break;
        case 'state': {
          const host = join(stateDir, m.source);
          mkdirSync(host, { recursive: true, mode: 0o755 });
          mountAt(kernel, m.path, { type: 'hostfs', host, readOnly: m.readonly });
          break;
        }
        case 'tmpfs':
          mountAt(kernel, m.path, { type: 'tmpfs', readOnly: m.readonly, ...(m.sizeBytes ? { maxBytes: m.sizeBytes } : {}) });
          break;
        case 'host':
          if (!existsSync(m.source)) throw new BootError(`mount ${m.path}: host directory ${m.source} does not exist`);
          mountAt(kernel, m.path, { type: 'hostfs', host: m.source, readOnly: m.readonly });
          break;
      }
    }

    phase('kernel');

    // 4. (before 3: the control server needs init) PID 1 and its pipes (INIT's init-channel.ts).
    const { process: init, channel } = await spawnInit(kernel, {
      stdio: ['null', ...(o.stdio ?? ['inherit', 'inherit'])],
      env: { PATH: '/sbin:/bin:/usr/bin', HOSTNAME: manifest.hostname },
    }).catch((e: Error & { errno?: number }) => {
      throw new BootError(`cannot start ${join(sbin, 'init.ts')} as /sbin/init.ts: ${e.errno !== undefined ? errnoName(e.errno) : e.message}`);
    });

    phase('init');

    // 3. The control socket.
    let control: BootedImage['control'] = null;
    if (o.control !== false) control = await startControl(kernel, init, channel, stateDir);

    phase('control');
    const exited = init.exited;
    const ready = waitReady(manifest, channel, exited);
    const steady = (): void => setJsPoolSize(manifest.image.jsPool);
    ready.then(() => {
      phase('ready');
      steady();
    }, steady);
    let stopping: Promise<ExitStatus> | null = null;
    const shutdown = (sig = SIG.TERM): Promise<ExitStatus> => (stopping ??= (async () => {
      if (init.state !== 'zombie') {
        try {
          kernel.kill(init.pid, sig);
        } catch { /* gone */ }
      }
      const status = await exited;
      await kernel.shutdown();
      await control?.close();
      setJsPoolSize(0);
      return status;
    })());
    return { kernel, manifest, init, digest, control, request: (m) => channel.request(m), ready, exited, shutdown };
  } catch (e) {
    // A mount, init or the control socket failed: nothing of this kernel may linger.
    await kernel.shutdown().catch(() => { /* the boot error is the one to report */ });
    setJsPoolSize(0);
    throw e;
  }
}

/**
 * The JS programs that start at boot, as isolates to boot ahead by heap limit (MiB): init,
 * syslogd, crond (with jobs) with the default; each JS service with the heap its memory
 * limit gives (jsproc/pool.ts heapMbFor), booted for it: an isolate's heap limit is fixed
 * when it starts.
 */
export function bootJsHeaps(m: Manifest): Map<number, number> {
  const heaps = new Map<number, number>([[DEFAULT_HEAP_MB, 2 + (m.cron.length > 0 ? 1 : 0)]]);
  for (const s of m.services) {
    if (!/\.(c|m)?(j|t)s$/.test(s.program)) continue;
    const heapMb = heapMbFor(s.limits.memoryPages ?? Infinity);
    heaps.set(heapMb, (heaps.get(heapMb) ?? 0) + 1);
  }
  return heaps;
}

function ensureDir(root: TmpDir, parts: string[], mode: number): TmpDir {
  let d = root;
  for (const p of parts) {
    const e = d.entry(p);
    d = e === undefined ? d.addDir(p, mode) : e instanceof TmpDir ? e : (() => { throw new BootError(`/${parts.join('/')}: ${p} is not a directory`); })();
  }
  return d;
}

/** Mounts at `path`, making the mount point (and its parents) where missing. */
function mountAt(kernel: Kernel, path: string, spec: Parameters<Kernel['mount']>[1]): void {
  let cur: Loc = kernel.ns.root;
  for (const name of path.split('/').filter(Boolean)) {
    try {
      cur = kernel.ns.child(cur, name);
    } catch {
      try {
        cur = { mount: cur.mount, vnode: cur.vnode.mkdir(name, 0o755) };
      } catch (e) {
        throw new BootError(`cannot make the mount point ${path}: ${(e as Error).message}`);
      }
    }
  }
  try {
    kernel.mount(path, spec);
  } catch (e) {
    throw new BootError((e as Error).message);
  }
}

/** A read-only tmpfs holding the image's files under `source` ('.' = all of them). */
function imageTmpfs(entries: ImageEntry[], source: string): TmpFs {
  const fs = new TmpFs({ readOnly: true }); // the builder methods below work on it all the same
  const prefix = source === '.' || source === '' ? '' : posix.normalize(source).replace(/\/$/, '') + '/';
  const dirs = new Map<string, TmpDir>([['', fs.root()]]);
  for (const e of entries) {
    if (prefix && !e.path.startsWith(prefix)) continue;
    const rel = e.path.slice(prefix.length);
    const slash = rel.lastIndexOf('/');
    const parent = dirs.get(slash < 0 ? '' : rel.slice(0, slash));
    if (!parent) continue; // its directory was left out: cannot happen for a verified image
    const name = rel.slice(slash + 1);
    if (e.type === 'dir') dirs.set(rel, parent.addDir(name, e.mode));
    else if (e.type === 'file') parent.addFile(name, e.mode, e.data);
    else parent.addSymlink(name, e.target);
  }
  return fs;
}

const SETTLED = new Set(['running']);

async function waitReady(m: Manifest, ch: InitChannel, exited: Promise<ExitStatus>): Promise<ServiceStatus[]> {
  const names = new Set(m.services.map((s) => s.name));
  const noRestart = new Set(m.services.filter((s) => s.restart === 'no').map((s) => s.name));
  let ended = false;
  void exited.then(() => (ended = true));
  const gone = (): BootError => new BootError('init ended before the services were ready');
  /** The list if every service is ready; null if some are on their way; throws if one failed. */
  const judge = (list: ServiceStatus[]): ServiceStatus[] | null => {
    const mine = list.filter((s) => names.has(s.name));
    const failed = mine.filter((s) => s.state === 'failed');
    if (failed.length) throw new BootError(`service${failed.length > 1 ? 's' : ''} failed: ${failed.map((s) => s.name).join(', ')}`);
    return mine.length === names.size && mine.every((s) => SETTLED.has(s.state) || (noRestart.has(s.name) && s.state === 'stopped')) ? list : null;
  };
  // init answers `wait-ready` when no service is on its way any more (userland/sbin/init.ts):
  // one request, answered on the state change that settles the last one. An init without
  // it (another --sbin) says so, and is asked for the status instead, every 2 ms backing off
  // to 10 ms; one that ignores it is asked too, from 2 s on, every 200 ms.
  let stop = false;
  const ask = async (action: string, timeoutMs?: number): Promise<Record<string, unknown>> => {
    try {
      return await ch.request({ op: 'service', action }, timeoutMs);
    } catch (e) {
      // init's end closes the channel: the rejection can come before `exited` settles.
      await Promise.race([exited, new Promise((res) => setTimeout(res, 100))]);
      if (ended) throw gone();
      throw e;
    }
  };
  const poll = async (delay: number, max: number): Promise<ServiceStatus[]> => {
    for (;;) {
      if (ended) throw gone();
      const r = await ask('status');
      const done = judge(Array.isArray(r.services) ? (r.services as ServiceStatus[]) : []);
      if (done) return done;
      await new Promise((res) => setTimeout(res, delay));
      if (stop) return new Promise<never>(() => {}); // the other way answered
      delay = Math.min(max, delay * 2);
    }
  };
  let polling = false;
  const byEvent = (async (): Promise<ServiceStatus[]> => {
    if (ended) throw gone();
    const r = await ask('wait-ready', 2 ** 31 - 1);
    polling = true;
    if (r.ok === false) return poll(2, 10); // not understood
    // Settled yet not ready (init shutting down ...): asked again, by status.
    return judge(Array.isArray(r.services) ? (r.services as ServiceStatus[]) : []) ?? poll(2, 10);
  })();
  // (Promise.race handles the loser's rejection too.)
  const byPoll = new Promise<void>((res) => setTimeout(res, 2000).unref())
    .then(() => (stop || polling ? new Promise<never>(() => {}) : poll(200, 200)));
  try {
    return await Promise.race([byEvent, byPoll]);
  } finally {
    stop = true;
  }
}

/** The control socket server (INIT's control.ts) at STATE/control.sock. */
async function startControl(kernel: Kernel, init: Process, channel: InitChannel, stateDir: string): Promise<BootedImage['control']> {
  const { startControlServer } = await import('./control.ts');
  return startControlServer({ kernel, stateDir, init: channel });
}
