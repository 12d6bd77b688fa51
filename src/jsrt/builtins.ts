// The built-in modules a JS process can require or import (docs/jsproc.md, "The Node
// surface"). Three kinds:
//   - the runtime's own, over system calls: fs, fs/promises, child_process, os, tty, module, net, http,
//     and isokernel (the kernel's API);
//   - the worker's own Node modules that compute and reach nothing outside the isolate
//     (events, util, stream, path, url, ...): given as they are, or as a copy without the
//     members that do reach out (buffer.resolveObjectURL reads a host-wide registry;
//     crypto.setEngine loads native code, crypto.setFips changes the host process);
//   - refused: net, http, vm, worker_threads, inspector, v8, ... (an Error with code
//     ERR_ISOKERNEL_HOST_ACCESS saying so).
// The worker's modules are fetched only here, by a function taken at boot (primordials.ts),
// and only for names on the ALLOWED list, checked with a captured Object.hasOwn: no program
// can make this hand out `fs` or `vm`.
import { hostAccessError } from './errors.ts';
import { guardCrypto } from './memguard.ts';
import { primordials as P } from './primordials.ts';

type Factory = () => unknown;

/** The worker's modules given as they are. */
const REAL: Readonly<Record<string, true>> = P.freeze(Object.assign(Object.create(null) as Record<string, true>, {
  assert: true, 'assert/strict': true, async_hooks: true, constants: true, diagnostics_channel: true,
  domain: true, events: true, path: true, 'path/posix': true, 'path/win32': true, perf_hooks: true,
  punycode: true, querystring: true, readline: true, 'readline/promises': true, stream: true,
  'stream/consumers': true, 'stream/promises': true, 'stream/web': true, string_decoder: true,
  timers: true, 'timers/promises': true, url: true, util: true, 'util/types': true, zlib: true,
  sys: true, buffer: true, crypto: true, console: true, process: true,
}));

/** Members taken out of a worker module before a program sees it. */
const WITHOUT: Readonly<Record<string, readonly string[]>> = {
  buffer: ['resolveObjectURL'],
  crypto: ['setEngine', 'setFips', 'secureHeapUsed'],
};

/** Modules that would reach the host (or another isolate), and why they are refused. */
const REFUSED: Readonly<Record<string, string>> = P.freeze({
  https: 'no TLS yet', http2: 'not provided yet', tls: 'no TLS yet',
  dgram: 'not provided yet (isokernel.socket(\'inet\', \'dgram\') is)', dns: 'the kernel resolves no names', 'dns/promises': 'the kernel resolves no names', cluster: 'it forks host processes',
  inspector: 'it opens the host\'s inspector', 'inspector/promises': 'it opens the host\'s inspector',
  repl: 'it evaluates strings', vm: 'it compiles strings and makes contexts', v8: 'it reaches the host\'s V8',
  worker_threads: 'it starts host threads', trace_events: 'it writes host files', wasi: 'it gives host directories',
  sqlite: 'it opens host files', test: 'not provided yet', 'test/reporters': 'not provided yet', sea: 'host only',
  quic: 'not provided',
});

const ours = new Map<string, Factory>();
const cache = new Map<string, unknown>();

/** Registers one of the runtime's own modules (loaded on first use). */
export function provide(name: string, f: Factory): void {
  ours.set(name, f);
}

function strip(name: string): string {
  return name.startsWith('node:') ? name.slice(5) : name;
}

/** Whether `name` names a built-in (provided or refused), as module.isBuiltin answers. */
export function isBuiltin(name: string): boolean {
  if (typeof name !== 'string') return false;
  const n = strip(name);
  return ours.has(n) || P.hasOwn(REAL, n) || P.hasOwn(REFUSED, n);
}

/** The names module.builtinModules lists. */
export function builtinNames(): string[] {
  return [...new Set([...ours.keys(), ...Object.keys(REAL), ...Object.keys(REFUSED)])].filter((n) => n !== 'isokernel').sort();
}

/**
 * The module for a built-in name ('fs', 'node:fs', 'isokernel'); undefined if there is no
 * such built-in. Throws the clear error for a refused one.
 */
export function builtin(name: string): unknown {
  if (typeof name !== 'string') return undefined;
  const n = strip(name);
  if (cache.has(n)) return cache.get(n);
  let mod: unknown;
  const f = ours.get(n);
  if (f) mod = f();
  else if (P.hasOwn(REAL, n)) {
    mod = n === 'process' ? process : n === 'console' ? globalThis.console : P.getBuiltin(n);
    const drop = WITHOUT[n];
    if (drop) {
      const copy = Object.create(null) as Record<string, unknown>;
      // Descriptors, not values: reading a deprecated getter (crypto.fips) would warn.
      for (const k of P.getOwnPropertyNames(mod)) {
        if (!drop.includes(k)) P.defineProperty(copy, k, P.getOwnPropertyDescriptor(mod, k)!);
      }
      if (n === 'crypto') guardCrypto(copy); // off the host's thread pool, key derivations checked (memguard.ts)
      mod = copy;
    }
  } else if (P.hasOwn(REFUSED, n)) {
    throw hostAccessError(`The module 'node:${n}'`, REFUSED[n]);
  } else return undefined;
  cache.set(n, mod);
  return mod;
}
