// The first code a JavaScript process's worker runs (src/kernel/jsproc/pool.ts starts it).
// Plain JavaScript on purpose: an entry in TypeScript would make Node compile its
// TypeScript stripper inside every isolate (+9 MiB, 3x the boot time). The kernel strips
// the runtime's modules once (jsproc/strip.ts) and passes them in workerData; this links
// them with vm.SourceTextModule and runs the entry, src/jsrt/main.ts, which closes the
// isolate off from the host (docs/jsproc.md) and waits for its job.
//
// The runtime's modules import Node built-ins by `node:` names only; they get the worker's
// own, through process.getBuiltinModule, which main.ts then takes away.
import { workerData } from 'node:worker_threads';
import vm from 'node:vm';

const { sources, entry } = workerData;
const getBuiltin = process.getBuiltinModule;
const builtins = new Map();
const modules = new Map();

function builtin(spec) {
  let m = builtins.get(spec);
  if (m) return m;
  const mod = getBuiltin.call(process, spec);
  if (mod === undefined) throw new Error(`isokernel runtime: no built-in ${spec}`);
  const names = Object.keys(mod).filter((k) => k !== 'default');
  m = new vm.SyntheticModule(['default', ...names], function () {
    this.setExport('default', mod);
    for (const k of names) this.setExport(k, mod[k]);
  }, { identifier: spec });
  builtins.set(spec, m);
  return m;
}

function join(from, spec) {
  const parts = from.split('/').slice(0, -1);
  for (const c of spec.split('/')) {
    if (c === '.' || c === '') continue;
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  return parts.join('/');
}

function load(path) {
  let m = modules.get(path);
  if (m) return m;
  const src = sources[path];
  if (typeof src !== 'string') throw new Error(`isokernel runtime: no module ${path}`);
  m = new vm.SourceTextModule(src, { identifier: `isokernel:${path.replace(/\.ts$/, '')}` });
  modules.set(path, m);
  m.linkRequests(m.moduleRequests.map((r) => (r.specifier.startsWith('node:') ? builtin(r.specifier) : load(join(path, r.specifier)))));
  return m;
}

const main = load(entry);
main.instantiate();
await main.evaluate();
