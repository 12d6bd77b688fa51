// The JS runtime as isolates load it, kept on disk between host processes (docs/jsproc.md,
// "Boot cost"): every JS process's isolate links the runtime's ~30 modules (src/jsrt/ and
// the kernel files they import), types stripped, before it can become a process.
//
//   - The pack: the stripped sources in one buffer, with the size and mtime of each source
//     file they came from (taken before the file was read, so a file changed meanwhile can
//     only make the pack stale, never wrong). A host process checks it with one stat per
//     file instead of reading, hashing and looking up each one (jsproc/strip.ts); any
//     difference, a file more or less, another Node: the pack is rebuilt. Isolates get the
//     buffer as it is (workerData) and decode it themselves (src/jsrt/bootstrap.mjs).
//   - The code cache: V8's compiled form of each module (SourceTextModule cachedData), made
//     by the first isolate that links the runtime without one and handed to the next ones,
//     which then deserialize instead of parsing and compiling (about half the link time).
//     It is made after linking and before evaluating — before the isolate has run any
//     code, the runtime's included, let alone a program's — and accepted only then (pool.ts:
//     before the isolate's `ready`; a process's isolate can never send it). V8 checks that
//     it fits the source and the flags (else it is rejected, dropped and made again).
//
// Both live in the strip cache's directory (a directory of the host user's own, mode 0700,
// checked: jsproc/strip.ts diskCache), named by Node version and source directory. Reads
// and writes that fail leave things as they were, without a cache: never an error.
//
// Format of both: u32 (LE) header length, the header (JSON), the parts' bytes in its order.
// Pack header: { format, node, src, stamp, files: [rel, size, mtimeMs][], entry,
// parts: [rel, bytes][] } (parts: the sources in UTF-8). Code cache header: { stamp, parts },
// its stamp the digest of the pack's bytes it was made for (strip.ts): V8 itself checks a
// cache only against its source's length.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PACK_FORMAT = 2;
/** A code cache larger than this is not kept (the runtime's is ~0.2 MiB). */
const CODE_CACHE_MAX = 16 << 20;

/** One source file of the pack: path relative to src/, size, mtime (ms) as stat saw it. */
export type PackedFile = [rel: string, size: number, mtimeMs: number];

export interface PackHeader {
  format: number;
  node: string;
  src: string;
  stamp: string;
  files: PackedFile[];
  entry: string;
  parts: [rel: string, bytes: number][];
}

/** FNV-1a, 32 bits, hex: names and stamps (not a security boundary: the directory is ours). */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function packPath(dir: string, src: string): string {
  return join(dir, `runtime-${PACK_FORMAT}-${process.version}-${fnv(src)}.pack`);
}

/** The size and mtime of `src + rel` now, or null if it cannot be stat'ed. */
export function statSource(src: string, rel: string): PackedFile | null {
  const st = statSync(src + rel, { throwIfNoEntry: false });
  return st ? [rel, st.size, st.mtimeMs] : null;
}

function encode(header: object, parts: Uint8Array[]): Uint8Array {
  const head = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length, 0);
  return Buffer.concat([len, head, ...parts]);
}

function decodeHeader<T>(buf: Uint8Array): { header: T; at: number } | null {
  try {
    const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const n = b.readUInt32LE(0);
    if (4 + n > b.length) return null;
    return { header: JSON.parse(b.toString('utf8', 4, 4 + n)) as T, at: 4 + n };
  } catch {
    return null;
  }
}

/**
 * A pack of the runtime's sources. `files` (stat'ed before reading) make its stamp; with
 * `files` null (no disk cache) the pack is for this host process only.
 */
export function buildPack(src: string, files: PackedFile[] | null, entry: string, sources: Record<string, string>): { pack: Uint8Array; stamp: string | null } {
  const stamp = files === null ? null : fnv(JSON.stringify([PACK_FORMAT, process.version, src, files])) + files.length.toString(16);
  const parts = Object.entries(sources).map(([rel, code]) => [rel, Buffer.from(code)] as const);
  const header: PackHeader = {
    format: PACK_FORMAT, node: process.version, src, stamp: stamp ?? '', files: files ?? [], entry,
    parts: parts.map(([rel, b]) => [rel, b.length]),
  };
  return { pack: encode(header, parts.map(([, b]) => b)), stamp };
}

/** The module paths of a pack (for checking a code cache against them). */
export function packModules(pack: Uint8Array): Set<string> {
  return new Set(decodeHeader<PackHeader>(pack)?.header.parts.map((p) => p[0]) ?? []);
}

/** The pack in `dir` if it is current (every file as it was when packed), else null. */
export function loadPack(dir: string, src: string): { pack: Uint8Array; stamp: string } | null {
  let buf: Buffer;
  try {
    buf = readFileSync(packPath(dir, src));
  } catch {
    return null;
  }
  const h = decodeHeader<PackHeader>(buf)?.header;
  if (!h || h.format !== PACK_FORMAT || h.node !== process.version || h.src !== src || !Array.isArray(h.files) || !Array.isArray(h.parts)) return null;
  if (h.files.length === 0 || h.files.length !== h.parts.length) return null;
  for (const f of h.files) {
    const now = statSource(src, f[0]);
    if (now === null || now[1] !== f[1] || now[2] !== f[2]) return null;
  }
  if (h.stamp !== fnv(JSON.stringify([PACK_FORMAT, process.version, src, h.files])) + h.files.length.toString(16)) return null;
  return { pack: buf, stamp: h.stamp };
}

export function savePack(dir: string, src: string, pack: Uint8Array): void {
  writeAtomic(packPath(dir, src), pack);
}

/** The code cache made for the pack whose digest is `stamp` (file bytes, as isolates take them), or null. */
export function loadCodeCache(dir: string, src: string, stamp: string): Uint8Array | null {
  let buf: Buffer;
  try {
    buf = readFileSync(packPath(dir, src) + '.v8');
  } catch {
    return null;
  }
  const d = decodeHeader<{ stamp: string; parts: [string, number][] }>(buf);
  if (!d || d.header.stamp !== stamp || !Array.isArray(d.header.parts)) return null;
  const total = d.header.parts.reduce((a, p) => a + (Number.isInteger(p?.[1]) && p[1] >= 0 ? p[1] : Infinity), 0);
  return d.at + total === buf.length ? buf : null;
}

/**
 * A code cache an isolate sent (before its `ready`: pool.ts), checked against the pack's
 * modules (an object of byte arrays, one per module at most, 16 MiB in all) and encoded as
 * isolates take it; null if it is not one.
 */
export function encodeCodeCache(data: unknown, modules: Set<string>, stamp: string | null): Uint8Array | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const parts: [string, Uint8Array][] = [];
  let total = 0;
  for (const [rel, v] of Object.entries(data)) {
    if (!modules.has(rel) || !(v instanceof Uint8Array)) return null;
    total += v.length;
    if (total > CODE_CACHE_MAX) return null;
    parts.push([rel, v]);
  }
  return encode({ stamp: stamp ?? '', parts: parts.map(([rel, b]) => [rel, b.length]) }, parts.map(([, b]) => b));
}

export function saveCodeCache(dir: string, src: string, cache: Uint8Array): void {
  writeAtomic(packPath(dir, src) + '.v8', cache);
}

function writeAtomic(file: string, data: Uint8Array): void {
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
  } catch { /* a full or read-only disk: no cache */ }
}
