// Finding the program a guest asks to spawn (execve(2)'s rules, without the fork): the path,
// or a PATH search; a regular file with an execute bit; a wasm module or a `#!` script,
// whose interpreter runs with the script's path as an argument.
//
// Compiled modules are cached by the file's identity (device, inode, size, mtime), so a
// spawn of a program that ran before reads no file and hashes nothing; a new one is read,
// compiled through the Loader (which also caches by content hash), and the spawn call
// sleeps until it is ready.
//
// JavaScript (jsproc/program.ts): a `#!` line naming node, a non-wasm file named *.js, *.ts
// (and the m/c variants), and `node` itself when no file has that name all run the kernel's
// JS runtime, argv `node SCRIPT ARGS...`.
import { E, FILETYPE } from '../../abi/wasi.ts';
import { fail, KernelError, SysError } from '../errors.ts';
import type { Loc, Namespace } from '../vfs/namespace.ts';
import type { Stat } from '../vfs/vnode.ts';
import type { Loader, Program } from './loader.ts';
import { isJsFile, isNodeInterpreter, isNodeMarker, isNodeName, NODE_PATHS, NODE_PROGRAM } from '../jsproc/program.ts';

/** What a spawn runs: the program and its final argv (a script's interpreter first). */
export interface ExecTarget {
  program: Program;
  argv: string[];
  /** The file's path as resolved (the script's, for a script). */
  path: string;
}

const MAX_PROGRAM_BYTES = 256 * 1024 * 1024;
/** Linux follows four levels of interpreters. */
const MAX_INTERPRETER_DEPTH = 4;
const SHEBANG_MAX = 256;
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

export class Exec {
  private readonly ns: Namespace;
  private readonly loader: Loader;
  private readonly byFile = new Map<string, Program>();
  private readonly failed = new Map<string, number>();
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(ns: Namespace, loader: Loader) {
    this.ns = ns;
    this.loader = loader;
  }

  /**
   * Finds the program for `path` (searching `searchPath` when given and the name has no
   * `/`). Returns the target, or a promise to sleep on while a module compiles (then ask
   * again). Throws SysError: ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EACCES, ENOEXEC, ENOMEM.
   */
  find(root: Loc, cwd: Loc, path: string, argv: string[], searchPath: string | null, builtin = true): ExecTarget | Promise<unknown> {
    if (path === '') fail(E.NOENT);
    if (builtin && isNodeName(path, searchPath)) {
      // `node` is the kernel's JavaScript runtime unless a file answers to the name (jsproc/program.ts).
      try {
        return this.find(root, cwd, path, argv, searchPath, false);
      } catch (e) {
        if (!(e instanceof SysError) || (e.errno !== E.NOENT && e.errno !== E.NOTDIR)) throw e;
        return { program: NODE_PROGRAM, argv, path: NODE_PATHS[0]! };
      }
    }
    if (searchPath === null || path.includes('/')) return this.open(root, cwd, path, argv, 0);
    let sawAccess = false;
    for (const dir of searchPath.split(':')) {
      const full = (dir === '' ? '.' : dir.replace(/\/+$/, '')) + '/' + path;
      try {
        return this.open(root, cwd, full, argv, 0);
      } catch (e) {
        if (!(e instanceof SysError)) throw e;
        if (e.errno === E.ACCES) sawAccess = true;
        else if (e.errno !== E.NOENT && e.errno !== E.NOTDIR) throw e;
      }
    }
    return fail(sawAccess ? E.ACCES : E.NOENT);
  }

  private open(root: Loc, cwd: Loc, path: string, argv: string[], depth: number): ExecTarget | Promise<unknown> {
    const loc = this.ns.resolve(root, cwd, path, true);
    const st = loc.vnode.stat();
    if (st.filetype !== FILETYPE.REGULAR_FILE || (st.mode & 0o111) === 0) fail(E.ACCES);
    const key = fileKey(st);
    const cached = this.byFile.get(key);
    if (cached) return { program: cached, argv, path };
    const err = this.failed.get(key);
    if (err !== undefined) fail(err);
    const pending = this.loading.get(key);
    if (pending) return pending;

    const head = readHead(loc, Math.min(st.size, SHEBANG_MAX));
    if (head.length >= 2 && head[0] === 0x23 && head[1] === 0x21) {
      if (depth >= MAX_INTERPRETER_DEPTH) fail(E.LOOP);
      const [interp, arg] = parseShebang(head);
      if (isNodeInterpreter(interp, arg)) return { program: NODE_PROGRAM, argv: isNodeMarker(path) ? argv : ['node', path, ...argv.slice(1)], path };
      const args = [interp, ...(arg !== null ? [arg] : []), path, ...argv.slice(1)];
      return this.open(root, cwd, interp, args, depth + 1);
    }
    if (head.length < 4 || WASM_MAGIC.some((b, i) => head[i] !== b)) {
      if (isJsFile(path)) return { program: NODE_PROGRAM, argv: ['node', path, ...argv.slice(1)], path };
      fail(E.NOEXEC);
    }
    if (st.size > MAX_PROGRAM_BYTES) fail(E.NOMEM);
    const bytes = readAll(loc, st.size);
    const load = this.loader.loadBytes(bytes, path).then(
      (prog) => {
        this.byFile.set(key, prog);
      },
      (e: unknown) => {
        if (!(e instanceof KernelError)) throw e;
        this.failed.set(key, E.NOEXEC);
      },
    ).finally(() => this.loading.delete(key));
    this.loading.set(key, load);
    return load;
  }
}

function fileKey(st: Stat): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtim}`;
}

function readHead(loc: Loc, n: number): Uint8Array {
  return readAll(loc, n);
}

function readAll(loc: Loc, size: number): Uint8Array {
  const h = loc.vnode.open(false);
  try {
    const out = new Uint8Array(size);
    let pos = 0;
    while (pos < size) {
      const n = h.read(out.subarray(pos), pos);
      if (n <= 0) break;
      pos += n;
    }
    return pos === size ? out : out.subarray(0, pos);
  } finally {
    h.close();
  }
}

/**
 * `#!INTERPRETER [ARG]`: the interpreter, and everything after it (trimmed) as one optional
 * argument, as Linux reads it. ENOEXEC when no interpreter is named.
 */
function parseShebang(head: Uint8Array): [string, string | null] {
  let end = head.indexOf(0x0a);
  if (end < 0) end = head.length;
  const line = new TextDecoder().decode(head.subarray(2, end)).replace(/\r$/, '').trim();
  const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line);
  if (!m) return fail(E.NOEXEC);
  const arg = m[2]?.trim();
  return [m[1]!, arg ? arg : null];
}
