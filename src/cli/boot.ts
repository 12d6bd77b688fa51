// `isokernel boot FILE|DIR [--state DIR]`: boots an image (src/image/boot.ts) and runs it
// until init ends. SIGTERM or SIGINT to this host process: SIGTERM to init, which stops the
// services; the host process exits with init's status. The state directory (where /var and
// the control socket live) defaults to $ISOKERNEL_STATE, else ./.isokernel-state/default,
// where the other host commands (ps, logs, service) look for the control socket too.
import { resolve } from 'node:path';
import { prewarmJs, setJsPoolSize } from '../kernel/jsproc/pool.ts';
import { bootTimelineMark, finishBootTimeline, flushBootTimeline, startBootTimeline } from './boot-timeline.ts';

const USAGE = 'usage: isokernel boot FILE|DIR [--state DIR] [--js-pool N] [--sbin DIR] [--quiet]\n';

export async function boot(args: string[]): Promise<number> {
  let image: string | null = null;
  let state: string | null = null;
  let quiet = false;
  let sbin: string | undefined;
  let jsPool: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--state') state = args[++i] ?? null;
    else if (a.startsWith('--state=')) state = a.slice(8);
    else if (a === '--sbin') sbin = args[++i]; // other system programs (init ...) than the package's: tests
    else if (a === '--js-pool') {
      jsPool = Number(args[++i]);
      if (!Number.isInteger(jsPool) || jsPool < 0 || jsPool > 64) {
        process.stderr.write(`isokernel boot: --js-pool takes a number from 0 to 64\n`);
        return 2;
      }
    } else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      process.stderr.write(`isokernel boot: unknown option ${a}\n${USAGE}`);
      return 2;
    } else if (image === null) image = a;
    else {
      process.stderr.write(`isokernel boot: one image only\n${USAGE}`);
      return 2;
    }
  }
  if (image === null || (args.includes('--state') && state === null)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const t0 = performance.now();
  if (process.env.ISOKERNEL_DEBUG_BOOT) startBootTimeline();
  // JS isolates for init, syslogd and crond start booting now, on another thread (one at a
  // time on two cores: jsproc/pool.ts), while this one loads the kernel (bootImage adds what
  // the image's JS services need, ahead of syslogd's and crond's).
  setJsPoolSize(0);
  prewarmJs(jsPool ?? 3);
  const { bootImage, BootError } = await import('../image/boot.ts');
  bootTimelineMark('kernel and image code loaded');
  // Loaded after the isolates started: it brings node:net.
  const { DEFAULT_STATE_DIR } = await import('./control-client.ts');
  /** $ISOKERNEL_STATE, else ./.isokernel-state/default: where `isokernel ps`, `logs`, `service` look too. */
  const defaultState = (): string => process.env.ISOKERNEL_STATE || DEFAULT_STATE_DIR;
  let booted;
  try {
    booted = await bootImage({ image, stateDir: state ?? defaultState(), ...(sbin ? { sbin } : {}), ...(jsPool !== undefined ? { jsPool } : {}) });
  } catch (e) {
    // The image's or the operator's to fix (a bad image, a busy state directory ...): the
    // message says what; a TypeError and the like is ours, and main.ts prints its stack.
    if (e instanceof BootError || ['ImageError', 'ManifestError', 'KernelError', 'ControlError'].includes((e as Error).name)) {
      process.stderr.write(`isokernel boot: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
  // The first SIGTERM/SIGINT asks init to stop the services (grace periods and all); a
  // second one does not wait: SIGKILL to init, and the kernel kills the rest.
  let signals = 0;
  const stop = (): void => {
    if (signals++ === 0) void booted.shutdown();
    else {
      try {
        booted.kernel.kill(booted.init.pid, 9);
      } catch { /* already gone */ }
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const say = (s: string): void => {
    if (!quiet) process.stderr.write(`isokernel: ${s}\n`);
  };
  say(`booted ${booted.manifest.name} ${booted.manifest.version}${booted.digest ? ` (sha256:${booted.digest.slice(0, 12)})` : ''}, state ${resolve(state ?? defaultState())}`);
  booted.ready.then((list) => {
    flushBootTimeline((s) => process.stderr.write(s), [...booted.kernel.procs.values()].map((p) => ({ pid: p.pid, argv: p.argv, cpuMs: booted.kernel.cpu.cpuTimeNs(p) / 1e6 })));
    if (process.env.ISOKERNEL_DEBUG_BOOT) setTimeout(() => finishBootTimeline((s) => process.stderr.write(s)), 1500).unref();
    say(`${list.filter((s) => !s.system).length} services ready in ${Math.round(performance.now() - t0)} ms (isokernel ps | logs -f | service status${state ? ` --state ${state}` : ''}; Ctrl-C stops)`);
  }, (e: Error) => {
    flushBootTimeline((s) => process.stderr.write(s));
    say(`not ready: ${e.message}`);
  });
  const status = await booted.exited;
  await booted.shutdown();
  process.off('SIGTERM', stop);
  process.off('SIGINT', stop);
  say(`init ended: ${status.signal ? `signal ${status.signal}` : `status ${status.code}`}`);
  return status.status;
}
