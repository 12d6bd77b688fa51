// The first code a JavaScript process's worker runs (src/kernel/jsproc/pool.ts starts it).
// Plain JavaScript on purpose: an entry in TypeScript would make Node compile its
// TypeScript stripper inside every isolate (+9 MiB, 3x the boot time). The kernel strips
// the runtime's modules once (jsproc/strip.ts) and passes them in workerData; this links
// them with vm.SourceTextModule (from V8's code cache when the kernel has one: see
// kernel/jsproc/runtime-pack.ts) and runs the entry, src/jsrt/main.ts, which closes the
// isolate off from the host (docs/jsproc.md) and waits for its job.
//
// The runtime's modules import Node built-ins by `node:` names only; they get the worker's
// own, through process.getBuiltinModule, which main.ts then takes away.
import { parentPort, workerData } from 'node:worker_threads';
import vm from 'node:vm';

const { pack, cache: cacheBytes, wantCache } = workerData;
let rejected = false;

/** A pack or code cache (kernel/jsproc/runtime-pack.ts): u32 header length, header JSON, parts. */
function unpack(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = buf.readUInt32LE(0);
  const header = JSON.parse(buf.toString('utf8', 4, 4 + n));
  const parts = new Map();
  let at = 4 + n;
  for (const [rel, len] of header.parts) {
    parts.set(rel, buf.subarray(at, at + len));
    at += len;
  }
  return { header, parts };
}

const { header: { entry }, parts: packParts } = unpack(pack);
const sources = Object.create(null);
for (const [rel, b] of packParts) sources[rel] = b.toString('utf8');
const cache = cacheBytes ? unpack(cacheBytes).parts : null;
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
  const cachedData = cache?.get(path);
  const identifier = `isokernel:${path.replace(/\.ts$/, '')}`;
  // V8 refuses a cache made under other flags or by another V8: SourceTextModule then throws
  // (it has no cachedDataRejected); the module is compiled from its source instead.
  try {
    m = new vm.SourceTextModule(src, cachedData ? { identifier, cachedData } : { identifier });
  } catch (e) {
    if (!cachedData) throw e;
    rejected = true;
    m = new vm.SourceTextModule(src, { identifier });
  }
  if (cachedData && m.cachedDataRejected) rejected = true;
  modules.set(path, m);
  m.linkRequests(m.moduleRequests.map((r) => (r.specifier.startsWith('node:') ? builtin(r.specifier) : load(join(path, r.specifier)))));
  return m;
}

const main = load(entry);
main.instantiate();
// The code cache (kernel/jsproc/runtime-pack.ts) is made here, when the kernel asks: linked,
// nothing evaluated yet — no code of the runtime's has run, let alone a program's. Null
// says the one given was rejected (another Node, other flags).
if (wantCache) {
  const data = {};
  for (const [path, m] of modules) data[path] = m.createCachedData();
  parentPort.postMessage({ type: 'code-cache', data });
} else if (rejected) parentPort.postMessage({ type: 'code-cache', data: null });
await main.evaluate();
