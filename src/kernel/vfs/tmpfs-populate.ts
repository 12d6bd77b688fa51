// Filling a tmpfs before anyone uses it: from a plain object (tests, small images) or by
// copying a host directory tree (image build). Both use the TmpDir builder methods, so they
// work on a read-only TmpFs too. Failures here are the operator's to fix, so they are thrown
// as KernelError naming the path, not as errnos.
//
// A tree spec is an object whose keys are names (or relative paths: 'etc/motd' creates 'etc'
// when missing) and whose values are: a string or Uint8Array (a file, mode 0o644), a plain
// object (a directory, mode 0o755), or file()/dir()/symlink() for other modes and symlinks.
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { E } from '../../abi/wasi.ts';
import { KernelError, fail, isSysError } from '../errors.ts';
import { TmpDir, TmpFs, type TmpFsOptions, type TmpNode } from './tmpfs.ts';

export class TreeFile {
  readonly contents: Uint8Array;
  readonly mode: number;
  constructor(contents: Uint8Array, mode: number) {
    this.contents = contents;
    this.mode = mode;
  }
}

export class TreeDir {
  readonly entries: TreeSpec;
  readonly mode: number;
  constructor(entries: TreeSpec, mode: number) {
    this.entries = entries;
    this.mode = mode;
  }
}

export class TreeSymlink {
  readonly target: string;
  constructor(target: string) {
    this.target = target;
  }
}

export type TreeNode = string | Uint8Array | TreeFile | TreeDir | TreeSymlink | TreeSpec;
export interface TreeSpec {
  [name: string]: TreeNode;
}

const encoder = new TextEncoder();

/** A file with the given contents and mode. */
export function file(contents: string | Uint8Array, mode = 0o644): TreeFile {
  return new TreeFile(typeof contents === 'string' ? encoder.encode(contents) : contents, mode);
}

/** A directory with the given entries and mode. */
export function dir(entries: TreeSpec, mode = 0o755): TreeDir {
  return new TreeDir(entries, mode);
}

/** A symlink holding `target` verbatim. */
export function symlink(target: string): TreeSymlink {
  return new TreeSymlink(target);
}

/** Runs `step`, turning an errno into a KernelError that names `path`. */
function building<T>(code: string, path: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (isSysError(e)) throw new KernelError(code, `cannot create ${path}: ${e.message}`);
    if (e instanceof Error) throw new KernelError(code, `cannot copy ${path}: ${e.message}`);
    throw e;
  }
}

/**
 * Adds the entries of `spec` under `into`. An existing directory is merged into; any other
 * existing name is an error.
 * Errors: KernelError 'TMPFS_POPULATE' naming the path (EEXIST, ENOSPC, bad names...).
 */
export function populate(into: TmpDir, spec: TreeSpec, where = ''): void {
  for (const [key, node] of Object.entries(spec)) {
    const parts = key.split('/').filter((p) => p !== '');
    const name = parts.pop();
    if (name === undefined) continue;
    let dirNode = into;
    let path = where;
    for (const part of parts) {
      path += '/' + part;
      dirNode = building('TMPFS_POPULATE', path, () => subdir(dirNode, part, 0o755));
    }
    path += '/' + name;
    addNode(dirNode, name, node, path);
  }
}

function addNode(parent: TmpDir, name: string, node: TreeNode, path: string): void {
  if (typeof node === 'string' || node instanceof Uint8Array || node instanceof TreeFile) {
    const f = node instanceof TreeFile ? node : file(node);
    building('TMPFS_POPULATE', path, () => parent.addFile(name, f.mode, f.contents));
  } else if (node instanceof TreeSymlink) {
    building('TMPFS_POPULATE', path, () => parent.addSymlink(name, node.target));
  } else {
    const d = node instanceof TreeDir ? node : dir(node);
    const child = building('TMPFS_POPULATE', path, () => subdir(parent, name, d.mode));
    populate(child, d.entries, path);
  }
}

/** The directory `name` in `parent`, made with `mode` if missing. Errors: EEXIST (not a directory). */
function subdir(parent: TmpDir, name: string, mode: number): TmpDir {
  const existing = parent.entry(name);
  if (existing === undefined) return parent.addDir(name, mode);
  return existing instanceof TmpDir ? existing : fail(E.EXIST);
}

/** A TmpFs (read-only if options say so) holding `spec`. Errors: as populate. */
export function tmpfsFromTree(spec: TreeSpec, options: TmpFsOptions = {}): TmpFs {
  const fs = new TmpFs(options);
  populate(fs.root(), spec);
  return fs;
}

/**
 * Copies the host directory `hostDir` into `into`: directories, regular files and symlinks
 * (verbatim, never followed) with their modes and atime/mtime. Other kinds (sockets, FIFOs,
 * devices) are skipped; their host paths are returned.
 * Errors: KernelError 'TMPFS_COPY' naming the host path.
 */
export function copyHostTree(hostDir: string, into: TmpDir): string[] {
  const skipped: string[] = [];
  copyDir(hostDir, into, skipped);
  return skipped;
}

function copyDir(hostDir: string, into: TmpDir, skipped: string[]): void {
  const names = building('TMPFS_COPY', hostDir, () => readdirSync(hostDir));
  for (const name of names) {
    const hostPath = join(hostDir, name);
    const st = building('TMPFS_COPY', hostPath, () => lstatSync(hostPath, { bigint: true }));
    let node: TmpNode;
    if (st.isDirectory()) {
      const child = building('TMPFS_COPY', hostPath, () => into.addDir(name, Number(st.mode)));
      copyDir(hostPath, child, skipped);
      node = child;
    } else if (st.isFile()) {
      const contents = building('TMPFS_COPY', hostPath, () => readFileSync(hostPath));
      node = building('TMPFS_COPY', hostPath, () => into.addFile(name, Number(st.mode), contents));
    } else if (st.isSymbolicLink()) {
      const target = building('TMPFS_COPY', hostPath, () => readlinkSync(hostPath));
      node = building('TMPFS_COPY', hostPath, () => into.addSymlink(name, target));
    } else {
      skipped.push(hostPath);
      continue;
    }
    keepTimes(node, st);
  }
}

function keepTimes(node: TmpNode, st: BigIntStats): void {
  node.atim = st.atimeNs;
  node.mtim = st.mtimeNs;
}

/** A TmpFs holding a copy of `hostDir` (its root takes the host directory's mode and times). */
export function tmpfsFromHost(hostDir: string, options: TmpFsOptions = {}): { fs: TmpFs; skipped: string[] } {
  const st = building('TMPFS_COPY', hostDir, () => statSync(hostDir, { bigint: true }));
  if (!st.isDirectory()) throw new KernelError('TMPFS_COPY', `cannot copy ${hostDir}: not a directory`);
  const fs = new TmpFs(options);
  const skipped = copyHostTree(hostDir, fs.root());
  fs.root().mode = Number(st.mode) & 0o7777;
  keepTimes(fs.root(), st);
  return { fs, skipped };
}
