// ISOKERNEL_DEBUG_BOOT=1 isokernel boot IMAGE: a timeline of the boot on stderr, for finding
// where its milliseconds go (bench/boot.ts reads it too). Times are ms since the host
// process started (performance.now(): Node's time origin is the process's start), so the
// engine's own start is the first figure; then the kernel thread's CPU time (ms) at the
// event, when the event happened on it. Events come from the kernel's diagnostics
// channels: boot phases (image/boot.ts), JS isolates booting and booted (jsproc/pool.ts,
// with each one's thread CPU time), processes created and ended, sockets listening.
import dc from 'node:diagnostics_channel';

const out: [number, string][] = [];
let on = false;

/** A line at `ms`; `cpu` (the kernel thread's CPU time then) when it is now, on this thread. */
function line(s: string, ms = performance.now(), cpu = true): void {
  const c = cpu ? process.threadCpuUsage() : null;
  const k = c ? `${((c.user + c.system) / 1000).toFixed(0).padStart(4)} cpu` : '        ';
  out.push([ms, `isokernel: boot +${ms.toFixed(1).padStart(6)} ms ${k}  ${s}`]);
}

/** Starts recording (once); `mark` adds a line of the caller's. */
export function startBootTimeline(): void {
  if (on) return;
  on = true;
  line('host command running (module loading before this: the engine and the CLI)');
  dc.subscribe('isokernel:boot:phase', (m) => line(`phase ${(m as { phase: string }).phase} ended`));
  dc.subscribe('isokernel:jsproc:worker', (m) => {
    const w = m as { event: string; heapMb: number; ms: number; cpuMs?: number };
    line(`js isolate ${w.event} (heap ${w.heapMb} MiB)${w.cpuMs !== undefined ? `, ${w.cpuMs.toFixed(1)} ms of its CPU` : ''}`, w.ms, w.event === 'boot');
  });
  dc.subscribe('isokernel:proc:spawn', (m) => {
    const p = m as { pid: number; argv: string[] };
    line(`pid ${p.pid} spawned: ${p.argv.join(' ').slice(0, 80)}`);
  });
  dc.subscribe('isokernel:proc:exit', (m) => line(`pid ${(m as { pid: number }).pid} ended`));
  dc.subscribe('isokernel:net:listen', (m) => {
    const l = m as { pid: number; proto: string; guest: number };
    line(`pid ${l.pid} listens on ${l.proto} ${l.guest}`);
  });
}

export function bootTimelineMark(s: string): void {
  if (on) line(s);
}

/**
 * After the ready line: the events since (the isolates of syslogd and crond, booted after the
 * services', among them), then the end of the timeline; recording stops.
 */
export function finishBootTimeline(write: (s: string) => void): void {
  if (!on) return;
  line('timeline end (events after the ready line are above)');
  write(out.splice(0).sort((a, b) => a[0] - b[0]).map((l) => l[1]).join('\n') + '\n');
  on = false;
}

/** The timeline so far, with the CPU time of the whole host process and of this thread; then cleared. */
export function flushBootTimeline(write: (s: string) => void, procs: { pid: number; argv: readonly string[]; cpuMs: number }[] = []): void {
  if (!on) return;
  for (const p of procs) line(`pid ${p.pid} ${p.argv[0] === 'node' ? p.argv[1] : p.argv[0]}: ${p.cpuMs.toFixed(1)} ms of CPU so far (kernel's accounting)`);
  const all = process.cpuUsage();
  const me = process.threadCpuUsage();
  line(`CPU so far: ${((all.user + all.system) / 1000).toFixed(0)} ms in all threads, ${((me.user + me.system) / 1000).toFixed(0)} ms on the kernel thread`);
  write(out.splice(0).sort((a, b) => a[0] - b[0]).map((l) => l[1]).join('\n') + '\n');
}
