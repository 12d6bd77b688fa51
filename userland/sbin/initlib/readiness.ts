// Readiness checks (manifest `readiness`): when a started service counts as up, so that the
// services depending on it may start. `none`: at once. `file`: when the path exists.
// `command`: when `/bin/sh -c COMMAND` exits 0 (run every intervalMs, as the service's
// user). `tcp`: when a connection to 127.0.0.1:PORT inside the kernel succeeds (needs the
// kernel's sockets; without them the check is skipped with a warning). A timeout of 0 waits
// for ever; a check ends early when the service exits.
import isk from 'isokernel';
import type { Readiness } from '../../../src/image/manifest-types.ts';

export type ReadyResult = { ok: true } | { ok: false; why: string };

export interface ReadyContext {
  /** Whether the service still runs (the check stops when it does not). */
  alive(): boolean;
  /** Runs a shell command for the check; resolves to its exit code (null: killed). */
  runCommand(command: string): Promise<number | null>;
  warn(msg: string): void;
}

/**
 * How often a `file` or `tcp` check looks: every 5 ms for the first 2 s (a service that
 * comes up at boot is seen within 5 ms: the boot's readiness is on its critical path; a
 * check costs a system call or three), then every 25 ms.
 */
const POLL_FAST_MS = 5;
const POLL_MS = 25;
const FAST_FOR_MS = 2000;

interface SocketApi {
  socket?: (domain: string, type: string) => number;
  connect?: (fd: number, addr: { family?: string; address: string; port: number }) => void;
  promises: { connect?: (fd: number, addr: { family?: string; address: string; port: number }) => Promise<void> };
}
const sockets = isk as unknown as SocketApi;

async function tcpOnce(port: number): Promise<boolean> {
  const fd = sockets.socket!('inet', 'stream');
  try {
    const addr = { family: 'inet', address: '127.0.0.1', port };
    if (sockets.promises.connect) await sockets.promises.connect(fd, addr);
    else sockets.connect!(fd, addr);
    return true;
  } catch {
    return false;
  } finally {
    try {
      isk.close(fd);
    } catch { /* gone */ }
  }
}

export async function waitReady(r: Readiness, ctx: ReadyContext): Promise<ReadyResult> {
  if (r.type === 'none') return { ok: true };
  if (r.type === 'tcp' && typeof sockets.socket !== 'function') {
    ctx.warn(`tcp readiness on port ${r.port}: this kernel has no sockets; treating the service as ready`);
    return { ok: true };
  }
  const start = Date.now();
  const expired = (): boolean => r.timeoutMs > 0 && Date.now() - start >= r.timeoutMs;
  const what = r.type === 'file' ? `file ${r.path}` : r.type === 'command' ? `command \`${r.command}\`` : `tcp port ${r.port}`;
  for (;;) {
    if (!ctx.alive()) return { ok: false, why: 'exited before it was ready' };
    let ok = false;
    if (r.type === 'file') {
      try {
        isk.stat(r.path);
        ok = true;
      } catch { /* not yet */ }
    } else if (r.type === 'command') {
      ok = (await ctx.runCommand(r.command)) === 0;
    } else {
      ok = await tcpOnce(r.port);
    }
    if (ok) return { ok: true };
    if (!ctx.alive()) return { ok: false, why: 'exited before it was ready' };
    if (expired()) return { ok: false, why: `not ready after ${r.timeoutMs} ms (${what})` };
    const pause = r.type === 'command' ? r.intervalMs : Date.now() - start < FAST_FOR_MS ? POLL_FAST_MS : POLL_MS;
    const left = r.timeoutMs > 0 ? r.timeoutMs - (Date.now() - start) : pause;
    await isk.promises.sleep(Math.max(1, Math.min(pause, left)));
  }
}
