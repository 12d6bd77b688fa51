// The isokernel side: the same WASI modules as processes of one booted kernel, through the
// kernel's embeddable API.
//   node --expose-gc bench/sides/isokernel.ts --data DIR --tmp DIR FIGURE...
// /data is a hostfs mount of DIR; /tmp is the kernel's own tmpfs (--tmp is not used here).
import { IDLE_COUNT, MICRO_FIGURES, measure, report, settledRss, sideArgs, unavailable, wasmPath } from '../common.ts';

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

type Stdio = 'null' | 'capture' | 'inherit';
function spawn(program: 'bench' | 'hello' | 'sleeper', args: string[], stdout: Stdio, preopens: string[] = []) {
  return kernel.spawn({ program: wasmPath(program), args: [program, ...args], env: [], preopens, stdio: ['null', stdout, 'inherit'] });
}

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

const microNames = figures.filter((f) => (MICRO_FIGURES as readonly string[]).includes(f));
const tasks: [string[], () => Promise<unknown>][] = [
  [microNames, () => micro(microNames)],
  [['spawn_hello'], async () => report('spawn_hello', await spawnHello())],
  [['idle_memory'], async () => report('idle_memory', await idleMemory())],
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
