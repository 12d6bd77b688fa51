// Which programs are JavaScript, and the Program objects that stand for them.
//
// A JS process runs Node's `node` as isokernel provides it: a runtime in a fresh isolate
// (jsproc.ts) that loads its main module from the kernel's namespace. So exec (proc/exec.ts)
// turns each of these into the one NODE_PROGRAM with argv `node SCRIPT ARGS...`:
//   - a file starting `#!/usr/bin/env node` (or `#!/bin/node`, `#!/usr/bin/node`,
//     `#!/usr/local/bin/node`, with or without `env`'s -S);
//   - a file without `#!` that is not wasm and whose name ends in .js .mjs .cjs .ts .mts .cts
//     (it still needs an execute bit, as any program);
//   - `node` itself: the paths above, or `node` found by a PATH search, when no file of that
//     name exists (a real /bin/node, a wasm program say, wins);
//   - a marker file: any file named `node` whose `#!` line names node (`#!/bin/node`) is node
//     itself, argv unchanged. A shell that searches PATH on its own (stat, then spawn by path)
//     needs a file to find: the default root has the marker at /usr/local/bin/node, and an
//     image may put one at /bin/node.
// The host's Kernel.spawn({ program: 'app.js' }) reads a host file instead (loadHostJs): its
// source goes to the isolate as the main module; what it imports comes from the namespace.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KernelError } from '../errors.ts';
import type { Program } from '../proc/loader.ts';
import type { Vnode } from '../vfs/vnode.ts';
import type { JsMain } from './protocol.ts';
import { stripTypes } from './strip.ts';

/** Where `node` is, as scripts name it. Nothing needs to exist there. */
export const NODE_PATHS: readonly string[] = ['/bin/node', '/usr/bin/node', '/usr/local/bin/node'];
const JS_FILE = /\.(?:[cm]?js|[cm]?ts)$/;
const TS_FILE = /\.[cm]?ts$/;
/** Never instantiated: a Program carries a module, and a JS program has none. */
const NO_MODULE = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

export function jsProgram(main: JsMain | null, name: string): Program {
  const names = new Map<number, string>();
  return {
    module: NO_MODULE, hash: `js:${name}`, name, custom: new Map(), threads: null, protection: null,
    functionNames: () => names, js: { main },
  };
}

/** `node`: the runtime, which runs argv[1]. */
export const NODE_PROGRAM: Program = jsProgram(null, 'node');

export function isJsFile(p: string): boolean {
  return JS_FILE.test(p);
}

export function isTsFile(p: string): boolean {
  return TS_FILE.test(p);
}

/** A `#!` line's interpreter (and its one argument) that means node. */
export function isNodeInterpreter(interp: string, arg: string | null): boolean {
  if (NODE_PATHS.includes(interp)) return true;
  if (interp !== '/usr/bin/env' && interp !== '/bin/env') return false;
  const words = (arg ?? '').split(/\s+/).filter((w) => w !== '-S');
  return words[0] === 'node';
}

/** Whether a script at `p` whose `#!` names node is the marker for node itself. */
export function isNodeMarker(p: string): boolean {
  return p === 'node' || p.endsWith('/node');
}

/** What the marker holds. */
export const NODE_MARKER = "#!/bin/node\n# isokernel: `node` is the kernel's JavaScript runtime (docs/jsproc.md).\n";

/** Puts the marker at /usr/local/bin/node in a root directory (the kernel's default root). */
export function installNodeMarker(root: Vnode): void {
  let dir = root;
  for (const name of ['usr', 'local', 'bin']) {
    try {
      dir = dir.lookup(name);
    } catch {
      dir = dir.mkdir(name, 0o755);
    }
  }
  const f = dir.create('node', 0o755);
  const h = f.open(true);
  try {
    h.write(new TextEncoder().encode(NODE_MARKER), 0);
  } finally {
    h.close();
  }
}

/** A name exec should treat as `node` when no file answers to it. */
export function isNodeName(p: string, search: string | null): boolean {
  return NODE_PATHS.includes(p) || (p === 'node' && search !== null);
}

/**
 * A host file as a JS program (Kernel.spawn with a host path): read and, for TypeScript,
 * stripped now. Its module identity is its absolute host path; what it imports is looked
 * up in the kernel's namespace under that path (mount its directory there, as
 * `isokernel run` does, or bundle it). KernelError ENOENT, ENOEXEC.
 */
export function loadHostJs(file: string): Program {
  const abs = path.resolve(file);
  let source: string;
  try {
    source = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KernelError(code === 'ENOENT' ? 'ENOENT' : 'ENOEXEC', `${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (source.startsWith('#!')) source = '//' + source.slice(2);
  if (isTsFile(abs)) {
    try {
      source = stripTypes(source);
    } catch (e) {
      throw new KernelError('ENOEXEC', `${file}: ${(e as Error).message}`);
    }
  }
  return jsProgram({ path: abs, source }, abs);
}
