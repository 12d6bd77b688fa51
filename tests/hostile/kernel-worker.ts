// Runs a kernel in a worker thread for tests/hostile.test.ts, so that a kernel that hangs
// (a syscall looping on the kernel thread) or crashes (an exception nobody catches) fails
// the test instead of stopping it: the test thread stays free to time out and terminate us.
//
// workerData is a Plan: mounts, then steps; the processes of a step run at once, the steps
// one after another. Messages to the parent: { exited: Outcome } as each process ends, then
// { done: Report }.
import { parentPort, workerData } from 'node:worker_threads';
import { Kernel, type MountSpec, type SpawnOptions } from '../../src/kernel/kernel.ts';
import type { FaultRecord } from '../../src/kernel/proc/fault.ts';
import type { ExitStatus } from '../../src/kernel/proc/process.ts';
import { kernelBug } from '../../src/kernel/trace/channels.ts';
import type { NetworkOptions } from '../../src/kernel/net/stack.ts';

export interface Spawn {
  program: string | Uint8Array;
  args?: string[];
  env?: string[];
  preopens?: string[];
  rootPreopen?: boolean;
}

export interface Plan {
  mounts: { path: string; spec: MountSpec }[];
  steps: Spawn[][];
  /** The kernel's network policy (default: an embedded kernel's, any egress). */
  network?: NetworkOptions;
  /** Log records (which go to the host's stderr while no reader attaches) are dropped instead. */
  quietLog?: boolean;
}

export interface Outcome {
  argv: readonly string[];
  status: ExitStatus;
  fault: FaultRecord | null;
  error: { code: string | undefined; message: string } | null;
  stdout: string;
  stderr: string;
}

export interface Report {
  /** The kernel's wasi_snapshot_preview1 import names. */
  imports: string[];
  /** Outcomes by step, in spawn order. */
  steps: Outcome[][];
  /** isokernel:kernel:bug messages (an exception escaped a syscall handler), with stacks. */
  bugs: string[];
  /** Unhandled rejections. */
  escaped: string[];
}

const plan = workerData as Plan;
const bugs: string[] = [];
const escaped: string[] = [];
kernelBug.subscribe((m) => {
  const { pid, error } = m as { pid: number; error: Error };
  bugs.push(`pid ${pid}: ${error.stack ?? error.message}`);
});
process.on('unhandledRejection', (e) => escaped.push(e instanceof Error ? e.stack ?? e.message : String(e)));

const kernel = await Kernel.boot(plan.network ? { network: plan.network } : {});
if (plan.quietLog) kernel.log.sink = () => {};
for (const m of plan.mounts) kernel.mount(m.path, m.spec);
const steps: Outcome[][] = [];
for (const step of plan.steps) {
  const ps = step.map((s) => kernel.spawn({ ...s, stdio: ['null', 'capture', 'capture'] } as SpawnOptions));
  steps.push(await Promise.all(ps.map(async (p): Promise<Outcome> => {
    const status = await p.exited;
    const e = p.error as (Error & { code?: string }) | null;
    const outcome: Outcome = {
      argv: p.argv, status, fault: p.fault, error: e && { code: e.code, message: e.message },
      // latin1: a fuzzer's output is bytes, and must survive as they are.
      stdout: p.output(1).toString('latin1'), stderr: p.output(2).toString('latin1'),
    };
    parentPort!.postMessage({ exited: outcome });
    return outcome;
  })));
}
await kernel.shutdown();
const report: Report = { imports: Object.keys(kernel.imports.wasi_snapshot_preview1!), steps, bugs, escaped };
parentPort!.postMessage({ done: report });
