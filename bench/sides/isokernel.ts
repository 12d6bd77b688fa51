// The isokernel side: the same WASI modules as processes of one booted kernel, through the
// kernel's embeddable API.
//   node --expose-gc bench/sides/isokernel.ts --data DIR --tmp DIR FIGURE...
// /data is a hostfs mount of DIR; /tmp is the kernel's own tmpfs (--tmp is not used here);
// /bench is a read-only hostfs mount of bench/wasm, where proc.wasm finds the programs it
// spawns (itself, and hello.wasm).
import {
  BENCH_DIR, BLOCKED_COUNT, IDLE_COUNT, MICRO_FIGURES, PROC_FIGURES, measure, report, settledRss, sideArgs, unavailable,
  wasmPath,
} from '../common.ts';

const { data, figures } = sideArgs();
const SIGKILL = 9;

let Kernel: typeof import('../../src/kernel/kernel.ts').Kernel;
try {
  ({ Kernel } = await import('../../src/kernel/kernel.ts'));
} catch (err) {
  for (const f of figures) unavailable(f, `kernel did not load: ${(err as Error).message}`);
  process.exit(0);
}

const kernel = await Kernel.boot({});
kernel.mount('/data', { type: 'hostfs', host: data });
kernel.mount('/bench', { type: 'hostfs', host: `${BENCH_DIR}wasm`, readOnly: true });
/** proc.wasm as its children see it: they are spawned by a guest, from the namespace. */
const GUEST_PROC = '/bench/proc.wasm';

type Stdio = 'null' | 'capture' | 'inherit';
function spawn(program: 'bench' | 'hello' | 'sleeper' | 'proc', args: string[], stdout: Stdio, preopens: string[] = [], openFiles?: number) {
  return kernel.spawn({
    program: wasmPath(program), args: [program, ...args], env: [], preopens, stdio: ['null', stdout, 'inherit'],
    ...(openFiles ? { limits: { openFiles } } : {}),
  });
}
type Proc = ReturnType<typeof spawn>;

async function runOk(p: ReturnType<typeof spawn>, what: string): Promise<void> {
  const st = await p.exited;
  if (st.code !== 0) throw new Error(`${what} ended with ${JSON.stringify(st)}`);
}

async function micro(names: string[]): Promise<void> {
  const p = spawn('bench', names, 'capture', ['/dev', '/data', '/tmp']);
  const st = await p.exited;
  process.stdout.write(p.output(1).toString());
  if (st.code !== 0) for (const f of names) unavailable(f, `bench.wasm ended with ${JSON.stringify(st)}`);
}

async function spawnHello(): Promise<number> {
  await runOk(spawn('hello', [], 'null'), 'hello'); // compiles and caches the module
  return measure(async (n) => {
    for (let i = 0; i < n; i++) await runOk(spawn('hello', [], 'null'), 'hello');
  });
}

/** KiB of host RSS per idle sleeper, IDLE_COUNT of them asleep in poll_oneoff at once. */
async function idleMemory(): Promise<number> {
  await runOk(spawn('sleeper', ['1'], 'null'), 'sleeper'); // compile and cache first
  const before = await settledRss();
  let ended = 0;
  const sleepers: ReturnType<typeof spawn>[] = [];
  for (let i = 0; i < IDLE_COUNT; i++) {
    const p = spawn('sleeper', [], 'null'); // sleeps until killed
    void p.exited.then(() => ended++);
    sleepers.push(p);
  }
  // Read memory once every sleeper is asleep in poll_oneoff (what ps would show as WCHAN).
  const asleep = () => sleepers.filter((p) => p.state === 'sleeping' && p.wchan === 'poll_oneoff').length;
  const deadline = Date.now() + 30_000;
  while (asleep() < IDLE_COUNT && ended === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const after = await settledRss();
  if (ended > 0 || asleep() < IDLE_COUNT) {
    throw new Error(`only ${asleep()} of ${IDLE_COUNT} sleepers asleep in poll_oneoff (${ended} ended)`);
  }
  for (const p of sleepers) kernel.kill(p.pid, SIGKILL);
  await Promise.all(sleepers.map((p) => p.exited));
  return (after - before) / IDLE_COUNT / 1024;
}

/**
 * proc_spawn, pipe_pingpong, pipe_throughput: proc.wasm times them itself, spawning its
 * children through the kernel (isokernel.spawn), and prints the figure's line.
 */
async function procTimed(name: string): Promise<void> {
  const arg = name === 'proc_spawn' ? '/bench/hello.wasm' : GUEST_PROC;
  const p = spawn('proc', [name, arg], 'capture');
  const st = await p.exited;
  const out = p.output(1).toString();
  process.stdout.write(out);
  if (st.code !== 0 || !out.startsWith(`${name} `)) throw new Error(`proc.wasm ${name} ended with ${JSON.stringify(st)}`);
}

/** The children of `parent` blocked in a pipe read (WCHAN fd_read), and all its children. */
function blockedChildren(parent: Proc): [number, Proc[]] {
  const children = [...kernel.procs.values()].filter((c) => c.ppid === parent.pid);
  return [children.filter((c) => c.state === 'sleeping' && c.wchan === 'fd_read').length, children];
}

/**
 * Has proc.wasm start `count` children, each blocked reading a pipe whose write end it keeps;
 * once it has said `ready` and every child sleeps in fd_read, runs `whileBlocked`, then
 * SIGKILLs the parent (its write ends close: each child reads EOF and exits 0) and waits for
 * all of them to end.
 */
async function holdBlocked(count: number, whileBlocked: () => Promise<void>): Promise<void> {
  const parent = spawn('proc', ['pipe_blocked_memory', GUEST_PROC, String(count)], 'capture', [], count + 64);
  let parentEnded = false;
  void parent.exited.then(() => (parentEnded = true));
  const deadline = Date.now() + 150_000;
  let [asleep, children] = blockedChildren(parent);
  while ((asleep < count || !parent.output(1).toString().startsWith('ready')) && !parentEnded && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    [asleep, children] = blockedChildren(parent);
  }
  if (asleep < count || parentEnded) {
    const why = parentEnded ? `proc.wasm ended with ${JSON.stringify(await parent.exited)}` : 'timed out';
    await kernel.shutdown();
    throw new Error(`only ${asleep} of ${count} children asleep in fd_read (${why})`);
  }
  await whileBlocked();
  kernel.kill(parent.pid, SIGKILL);
  const ends = await Promise.all(children.map((c) => c.exited));
  await parent.exited;
  const bad = ends.filter((st) => st.code !== 0).length;
  if (bad > 0) throw new Error(`${bad} of ${count} blocked children did not exit 0 at EOF`);
}

/** KiB of host RSS per process blocked in a pipe read, BLOCKED_COUNT of them at once. */
async function blockedMemory(): Promise<number> {
  await holdBlocked(10, async () => {}); // compiles proc.wasm and warms the path first
  const before = await settledRss();
  let after = 0;
  await holdBlocked(BLOCKED_COUNT, async () => {
    after = await settledRss();
  });
  return (after - before) / BLOCKED_COUNT / 1024;
}

const microNames = figures.filter((f) => (MICRO_FIGURES as readonly string[]).includes(f));
const tasks: [string[], () => Promise<unknown>][] = [
  [microNames, () => micro(microNames)],
  [['spawn_hello'], async () => report('spawn_hello', await spawnHello())],
  [['idle_memory'], async () => report('idle_memory', await idleMemory())],
  ...PROC_FIGURES.filter((f) => f !== 'pipe_blocked_memory').map((f): [string[], () => Promise<unknown>] => [[f], () => procTimed(f)]),
  [['pipe_blocked_memory'], async () => report('pipe_blocked_memory', await blockedMemory())],
];
for (const [names, task] of tasks) {
  if (!names.length || !names.every((n) => figures.includes(n))) continue;
  try {
    await task();
  } catch (err) {
    for (const f of names) unavailable(f, (err as Error).message);
  }
}
process.exit(0);
