// A worker thread that runs threads of wasi-threads processes (proc/threads.ts), one at a
// time, each posted to it as a ThreadJob. For each it instantiates the process's module
// with the process's shared memory and with imports that forward every call to the kernel
// thread over the syscall channel (syscall/channel.ts), then runs the thread's entry:
// _start for the main thread, wasi_thread_start(tid, start_arg) for the others. When the
// entry returns, the worker waits for its next job (the kernel keeps a pool,
// proc/thread-pool.ts); when a process ends otherwise, the kernel terminates its workers.
//
// Messages to the kernel: { type: 'ready' } once booted, { type: 'started' } once
// instantiated, { type: 'returned' } when the entry returns, { type: 'failed', stage, error }
// if instantiation or the entry threw (a trap). It imports only the channel: a worker's
// boot time grows with the modules it loads.
import { parentPort, workerData } from 'node:worker_threads';
import { CALL_THREAD_SPAWN, ChannelClient, type ParamType } from '../syscall/channel.ts';

export interface ThreadImport {
  module: string;
  name: string;
  /** The call number on the channel (CALL_THREAD_SPAWN for wasi's thread-spawn). */
  call: number;
  params: ParamType[];
}

export interface ThreadJob {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  memoryImport: { module: string; name: string };
  imports: ThreadImport[];
  /** 0: the main thread (runs _start); else a spawned thread's id. */
  tid: number;
  startArg: number;
}

export interface WorkerInit {
  slot: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'started' }
  | { type: 'returned' }
  | { type: 'failed'; stage: 'instantiate' | 'run'; error: { name: string; message: string; stack: string } };

if (Error.stackTraceLimit < 64) Error.stackTraceLimit = 64;

const port = parentPort!;
const init = workerData as WorkerInit;
const threadCpuNs = (): number => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) * 1000;
};
let cpuBase = 0;
const client = new ChannelClient(init.slot, () => threadCpuNs() - cpuBase);

function describe(e: unknown): { name: string; message: string; stack: string } {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack ?? '' };
  return { name: 'Error', message: String(e), stack: '' };
}

function run(job: ThreadJob): void {
  cpuBase = threadCpuNs();
  const imports: WebAssembly.Imports = { [job.memoryImport.module]: { [job.memoryImport.name]: job.memory } };
  for (const imp of job.imports) {
    (imports[imp.module] ??= {})[imp.name] = imp.call === CALL_THREAD_SPAWN
      ? client.stub(CALL_THREAD_SPAWN, ['i32'])
      : client.stub(imp.call, imp.params);
  }
  let entry: Function;
  try {
    const inst = new WebAssembly.Instance(job.module, imports);
    entry = (job.tid === 0 ? inst.exports._start : inst.exports.wasi_thread_start) as Function;
  } catch (e) {
    client.reportCpu();
    port.postMessage({ type: 'failed', stage: 'instantiate', error: describe(e) } satisfies WorkerMessage);
    return;
  }
  port.postMessage({ type: 'started' } satisfies WorkerMessage);
  try {
    if (job.tid === 0) entry();
    else entry(job.tid, job.startArg);
  } catch (e) {
    client.reportCpu();
    port.postMessage({ type: 'failed', stage: 'run', error: describe(e) } satisfies WorkerMessage);
    return;
  }
  client.reportCpu();
  port.postMessage({ type: 'returned' } satisfies WorkerMessage);
}

port.on('message', (job: ThreadJob) => run(job));
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
