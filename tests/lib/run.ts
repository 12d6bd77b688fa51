// Running one process to its end in a test, with a time limit.
import type { Kernel } from '../../src/kernel/kernel.ts';
import type { Process } from '../../src/kernel/proc/process.ts';

export interface RunResult {
  code: number | null;
  signal: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Waits for `p` (its stdout and stderr captured) to end, for `ms` at most: then kills it
 * with SIGKILL and waits for that. Says whether it timed out, and how it ended.
 */
export async function exitOrKill(kernel: Kernel, p: Process, ms: number): Promise<{ timedOut: boolean; result: RunResult }> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const st = await Promise.race([p.exited, timedOut]);
  clearTimeout(timer);
  if (st === 'timeout') {
    kernel.kill(p.pid, 9);
    await p.exited;
  }
  return {
    timedOut: st === 'timeout',
    result: {
      code: st === 'timeout' ? null : st.code, signal: st === 'timeout' ? null : st.signal,
      stdout: p.output(1).toString(), stderr: p.output(2).toString(),
    },
  };
}
