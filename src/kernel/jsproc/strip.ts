// TypeScript for JS processes: type stripping on the kernel thread, and the runtime's own
// modules as the isolates load them.
//
// A worker that loads a .ts file through Node's loader compiles Node's TypeScript stripper
// (a WebAssembly build of swc) in its own isolate: measured here, +9 MiB and 3x the boot
// time of each worker. So types are stripped once, here, with Node's own
// module.stripTypeScriptTypes (mode "strip": erasable syntax only, positions kept, so stack
// traces need no source map): the runtime's sources when the first JS process starts, and
// a program's .ts files when its isolate asks (CALL_JS_STRIP, cached by content).
//
// Stripped sources are also kept on disk, by content hash and Node version, in a directory
// of the host user's own (mode 0700, checked: owner and mode, else the disk cache is not
// used) under the system's temporary directory, beside Node's compile cache
// (ISOKERNEL_STRIP_CACHE moves it, ISOKERNEL_STRIP_CACHE=off turns it off): the first
// stripTypeScriptTypes of a host process compiles Node's stripper (~100 ms of a core), which
// an image boot whose runtime and /sbin programs are in the cache never pays. The directory
// holds 64 MiB at most (guests choose what they strip): past that, nothing more is written.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsBootData } from './protocol.ts';
import { buildPack, encodeCodeCache, loadCodeCache, loadPack, packModules, type PackedFile, saveCodeCache, savePack, statSource } from './runtime-pack.ts';

const SRC = fileURLToPath(new URL('../../', import.meta.url));
const RUNTIME_ENTRY = 'jsrt/main.ts';
/** Stripped programs kept, at most (by content hash). */
const CACHE_MAX = 256;
const cache = new Map<string, string>();

/**
 * Strips the types of a TypeScript source. Throws an Error with code
 * ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX or ERR_INVALID_TYPESCRIPT_SYNTAX for what cannot be
 * stripped (enums, namespaces, parameter properties; syntax errors).
 */
export function stripTypes(source: string): string {
  const key = createHash('sha256').update(source).digest('base64');
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const dir = diskCache();
  const file = dir === null ? null : join(dir, createHash('sha256').update(process.version).update(source).digest('hex'));
  if (file !== null) {
    try {
      const out = readFileSync(file, 'utf8');
      remember(key, out);
      return out;
    } catch { /* not cached yet */ }
  }
  // Node announces the API as experimental on first use, on the host's stderr: not ours to print.
  const warn = process.emitWarning;
  process.emitWarning = () => {};
  let out: string;
  try {
    out = stripTypeScriptTypes(source, { mode: 'strip' });
  } finally {
    process.emitWarning = warn;
  }
  remember(key, out);
  if (file !== null && reserveDisk(out.length)) {
    try {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, out, { mode: 0o600 });
      renameSync(tmp, file);
    } catch { /* a full or read-only disk: no disk cache for this one */ }
  }
  return out;
}

function remember(key: string, out: string): void {
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, out);
}

let cacheDir: string | null | undefined;
/** Bytes in the disk cache (counted at the first write), against DISK_BUDGET. */
let diskUsed = -1;
/** The disk cache holds at most this much: guests strip sources of their choosing (CALL_JS_STRIP). */
const DISK_BUDGET = 64 << 20;

function reserveDisk(bytes: number): boolean {
  if (diskUsed < 0) {
    diskUsed = 0;
    try {
      for (const f of readdirSync(cacheDir!)) diskUsed += statSync(join(cacheDir!, f), { throwIfNoEntry: false })?.size ?? 0;
    } catch { /* counted as empty */ }
  }
  if (diskUsed + bytes > DISK_BUDGET) return false;
  diskUsed += bytes;
  return true;
}

/** The disk cache directory, made if missing; null when off or not safely ours. */
function diskCache(): string | null {
  if (cacheDir !== undefined) return cacheDir;
  const env = process.env.ISOKERNEL_STRIP_CACHE;
  cacheDir = null;
  if (env === 'off' || env === '0') return null;
  const uid = process.getuid?.() ?? 0;
  const dir = env || join(tmpdir(), `isokernel-strip-cache-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    // Someone else's directory (or a wider one) could hold code of theirs: not used.
    if (st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0) cacheDir = dir;
  } catch { /* no cache */ }
  return cacheDir;
}

/** The runtime pack (runtime-pack.ts) isolates are given, made or found on first use. */
let pack: Uint8Array | null = null;
/** Its module paths. */
let packed: Set<string> = new Set();
/**
 * What the code cache on disk is for: a digest of the pack's bytes (V8 checks a cache
 * against its source's length only), null without a disk cache.
 */
let stamp: string | null = null;
/** The runtime's V8 code cache: undefined until looked up on disk, null when there is none. */
let codeCache: Uint8Array | null | undefined;
/** An isolate was asked to make the code cache and has not answered yet. */
let codeCacheAsked = false;

/**
 * The runtime's modules (src/jsrt/ and the kernel files they import), types stripped, by
 * path relative to src/, packed (runtime-pack.ts): from the disk cache when current, else
 * read and stripped (and the pack written there); then kept for the host's life.
 */
function runtimePack(): Uint8Array {
  if (pack) return pack;
  const dir = diskCache();
  const found = dir === null ? null : loadPack(dir, SRC);
  if (found) {
    pack = found.pack;
    stamp = createHash('sha256').update(pack).digest('base64url');
    packed = packModules(pack);
    return pack;
  }
  const sources: Record<string, string> = {};
  const files: PackedFile[] = [];
  let statted = dir !== null;
  const todo = [RUNTIME_ENTRY];
  while (todo.length > 0) {
    const rel = todo.pop()!;
    if (Object.hasOwn(sources, rel)) continue;
    const st = statSource(SRC, rel); // before reading: a change meanwhile makes the pack stale, not wrong
    const code = stripTypes(readFileSync(SRC + rel, 'utf8'));
    sources[rel] = code;
    if (st) files.push(st);
    else statted = false;
    for (const spec of importsOf(code)) {
      if (!spec.startsWith('.')) continue; // node: builtins
      todo.push(joinRel(rel, spec));
    }
  }
  // A file changed less than 2 s ago may change again within its mtime's granularity
  // (a few ms on some filesystems) without its size changing: not packed for the next
  // host processes (as git treats "racily clean" files), which build the pack again.
  const racy = files.some((f) => f[2] > Date.now() - 2000);
  pack = buildPack(SRC, statted ? files : null, RUNTIME_ENTRY, sources).pack;
  stamp = dir === null ? null : createHash('sha256').update(pack).digest('base64url');
  packed = new Set(Object.keys(sources));
  if (dir !== null && statted && !racy) savePack(dir, SRC, pack);
  return pack;
}

/**
 * What a booting isolate is given (pool.ts workerData): the runtime pack, with its V8 code
 * cache when there is one, else (one isolate at a time) the request to make it.
 */
export function runtimeBootData(): JsBootData {
  const p = runtimePack();
  if (codeCache === undefined) codeCache = stamp === null ? null : loadCodeCache(diskCache()!, SRC, stamp);
  if (codeCache) return { pack: p, cache: codeCache };
  if (codeCacheAsked) return { pack: p };
  codeCacheAsked = true;
  return { pack: p, wantCache: true };
}

/**
 * A code cache from an isolate before its `ready` (pool.ts), or null: that isolate's V8
 * rejected the one it was given. Kept for the next isolates, and on disk for the next hosts.
 */
export function takeCodeCache(data: unknown): void {
  codeCacheAsked = false;
  if (data === null) {
    codeCache = null; // rejected: the next isolate makes one again
    return;
  }
  const c = encodeCodeCache(data, packed, stamp);
  if (c === null) return;
  codeCache = c;
  if (stamp !== null) saveCodeCache(diskCache()!, SRC, c);
}

/** An isolate that was asked for the code cache booted without sending one (or died): ask the next. */
export function codeCacheAnswered(): void {
  codeCacheAsked = false;
}

/** The specifiers a stripped module imports or re-exports (the runtime is written so this sees them all). */
function importsOf(code: string): string[] {
  const out: string[] = [];
  for (const re of [/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm]) {
    for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[1]!);
  }
  return out;
}

/** `from`'s directory joined with a relative specifier, normalised (paths relative to src/). */
export function joinRel(from: string, spec: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const c of spec.split('/')) {
    if (c === '.' || c === '') continue;
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  return parts.join('/');
}
