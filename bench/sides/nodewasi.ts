// The node:wasi side: the same WASI modules under Node's own preview1 implementation.
//   node --expose-gc bench/sides/nodewasi.ts --data DIR --tmp DIR FIGURE...
// Micro figures run bench.wasm once with preopens /dev -> /dev, /data -> DIR, /tmp -> the
// tmpfs DIR; its lines go straight to our stdout. spawn_hello times new WASI + instantiate
// + start of a compiled hello.wasm. idle_memory and the process figures (proc.c) cannot be
// measured: see the end.
import { openSync, readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { MICRO_FIGURES, PROC_FIGURES, measure, report, sideArgs, unavailable, wasmPath } from '../common.ts';

const { data, tmp, figures } = sideArgs();

function run(module: WebAssembly.Module, args: string[], options: Partial<ConstructorParameters<typeof WASI>[0]>): number {
  const wasi = new WASI({ version: 'preview1', args, env: {}, returnOnExit: true, ...options });
  const instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
  return wasi.start(instance);
}

const micro = figures.filter((f) => (MICRO_FIGURES as readonly string[]).includes(f));
if (micro.length > 0) {
  const bench = new WebAssembly.Module(readFileSync(wasmPath('bench')));
  const code = run(bench, ['bench', ...micro], {
    preopens: { '/dev': '/dev', '/data': data, '/tmp': tmp },
    stdout: 1,
    stderr: 2,
  });
  if (code !== 0) for (const f of micro) unavailable(f, `bench.wasm exited with ${code}`);
}

if (figures.includes('spawn_hello')) {
  const hello = new WebAssembly.Module(readFileSync(wasmPath('hello')));
  const devnull = openSync('/dev/null', 'w');
  report(
    'spawn_hello',
    await measure((n) => {
      for (let i = 0; i < n; i++) {
        const code = run(hello, ['hello'], { stdout: devnull });
        if (code !== 0) throw new Error(`hello exited with ${code}`);
      }
    }),
  );
}

if (figures.includes('idle_memory')) {
  unavailable('idle_memory', "node:wasi's poll_oneoff blocks Node's thread, so only one process can sleep at a time");
}

// proc.wasm imports the isokernel module (spawn, wait, pipe): WASI preview1 has no way to
// create a process or a pipe, so node:wasi cannot even instantiate it.
for (const f of PROC_FIGURES) {
  if (figures.includes(f)) unavailable(f, 'node:wasi cannot spawn processes or make pipes (WASI preview1 has neither)');
}
