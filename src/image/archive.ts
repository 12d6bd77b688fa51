// The image file: one POSIX tar archive (ustar/pax, gzip-compressed by default) holding an
// image and the checksums that prove it whole.
//
// Members, in this order:
//   ISOKERNEL-IMAGE    JSON {format, formatVersion, name, version}: says what the file is
//   isokernel.toml     the manifest as written (for people)
//   manifest.json      the normalized manifest (manifest-types.ts): what boot uses, so boot
//                      needs no TOML parser
//   rootfs/...         the image's files (directories, regular files, symlinks), modes kept
//   SHA256SUMS         one line per member above, in order:
//                        file <mode> <sha256 of the contents> <name>
//                        dir <mode> - <name>
//                        symlink 777 <sha256 of the target> <name>
//   SHA256             the SHA-256 of SHA256SUMS: the digest of the whole image
// The archive is written with tar-stream and read back (at boot, whole, in memory) by
// tar-read.ts. readImage() refuses a file whose members differ in any way from the listing (contents,
// mode, name, order, a member missing or added), whose listing differs from SHA256, or that
// ends early (a truncated gzip stream or tar archive, or no SHA256 member). Nothing is
// written to the host: the files come back in memory, for boot to load into a read-only
// tmpfs.
//
// Building (packImage) walks the image directory (less `image.exclude` globs, node_modules,
// dot-files at the top, and the output file), and bundles each JS/TS service program with
// esbuild when the image has node_modules, so the archive carries one file per program and
// no node_modules tree (bundle.ts).
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync, renameSync } from 'node:fs';
import { join, matchesGlob, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readTar } from './tar-read.ts';
import { manifestToJson, type Manifest } from './manifest-types.ts';

export const IMAGE_FORMAT = 'isokernel-image';
export const IMAGE_FORMAT_VERSION = 1;
const ROOTFS = 'rootfs/';

/** An image that cannot be read: corrupt, truncated, or not an image. */
export class ImageError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ImageError';
  }
}

export type ImageEntry =
  | { type: 'file'; path: string; mode: number; data: Uint8Array }
  | { type: 'dir'; path: string; mode: number }
  | { type: 'symlink'; path: string; target: string };

export interface ImageContents {
  manifest: Manifest;
  manifestSource: string;
  /** The image's files, paths relative to the image root ('' never appears), parents first. */
  entries: ImageEntry[];
  /** The SHA-256 of the whole image (hex). */
  digest: string;
}

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** The image's files from a host directory: everything but the excluded, parents first. */
export function collectEntries(dir: string, exclude: readonly string[], skip: readonly string[] = []): ImageEntry[] {
  const out: ImageEntry[] = [];
  const skipAbs = new Set(skip.map((p) => resolve(p)));
  const walk = (rel: string): void => {
    const names = readdirSync(join(dir, rel)).sort();
    for (const name of names) {
      const path = rel ? `${rel}/${name}` : name;
      const abs = join(dir, path);
      if (!rel && (name.startsWith('.') || name === 'isokernel.toml')) continue;
      if (name === 'node_modules') continue;
      if (skipAbs.has(resolve(abs))) continue;
      if (exclude.some((g) => matchesGlob(path, g) || matchesGlob(path + '/', g))) continue;
      const st = lstatSync(abs);
      if (st.isDirectory()) {
        out.push({ type: 'dir', path, mode: st.mode & 0o7777 });
        walk(path);
      } else if (st.isFile()) out.push({ type: 'file', path, mode: st.mode & 0o7777, data: readFileSync(abs) });
      else if (st.isSymbolicLink()) out.push({ type: 'symlink', path, target: readlinkSync(abs) });
      // FIFOs, sockets and devices are not image material: left out.
    }
  };
  walk('');
  return out;
}

interface Member { name: string; type: 'file' | 'directory' | 'symlink'; mode: number; data?: Uint8Array; target?: string }

function listingLine(m: Member): string {
  const mode = m.mode.toString(8);
  if (m.type === 'directory') return `dir ${mode} - ${m.name}`;
  if (m.type === 'symlink') return `symlink 777 ${sha256(m.target!)} ${m.name}`;
  return `file ${mode} ${sha256(m.data!)} ${m.name}`;
}

/**
 * Writes the image file (atomically: a temporary file renamed into place). Returns the
 * image digest.
 */
export async function writeImage(out: string, manifest: Manifest, manifestSource: string, entries: ImageEntry[], opts: { gzip?: boolean } = {}): Promise<string> {
  const enc = new TextEncoder();
  const members: Member[] = [
    { name: 'ISOKERNEL-IMAGE', type: 'file', mode: 0o644, data: enc.encode(JSON.stringify({ format: IMAGE_FORMAT, formatVersion: IMAGE_FORMAT_VERSION, name: manifest.name, version: manifest.version }) + '\n') },
    { name: 'isokernel.toml', type: 'file', mode: 0o644, data: enc.encode(manifestSource) },
    { name: 'manifest.json', type: 'file', mode: 0o644, data: enc.encode(manifestToJson(manifest)) },
    { name: ROOTFS.slice(0, -1), type: 'directory', mode: 0o755 },
  ];
  for (const e of entries) {
    const name = ROOTFS + e.path;
    if (e.type === 'file') members.push({ name, type: 'file', mode: e.mode, data: e.data });
    else if (e.type === 'dir') members.push({ name, type: 'directory', mode: e.mode });
    else members.push({ name, type: 'symlink', mode: 0o777, target: e.target });
  }
  const listing = members.map(listingLine).join('\n') + '\n';
  const digest = sha256(listing);
  members.push({ name: 'SHA256SUMS', type: 'file', mode: 0o644, data: enc.encode(listing) });
  members.push({ name: 'SHA256', type: 'file', mode: 0o644, data: enc.encode(digest + '\n') });

  const { pack } = await import('tar-stream'); // build only: boot reads with tar-read.ts
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((res, rej) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', res);
    p.on('error', rej);
  });
  const mtime = new Date(0); // reproducible builds: the same tree gives the same bytes
  for (const m of members) {
    await new Promise<void>((res, rej) => {
      const cb = (e?: Error | null): void => (e ? rej(e) : res());
      if (m.type === 'file') p.entry({ name: m.name, type: 'file', mode: m.mode, mtime, uid: 0, gid: 0 }, Buffer.from(m.data!), cb);
      else if (m.type === 'directory') p.entry({ name: m.name, type: 'directory', mode: m.mode, mtime, uid: 0, gid: 0 }, cb);
      else p.entry({ name: m.name, type: 'symlink', linkname: m.target, mode: 0o777, mtime, uid: 0, gid: 0 }, cb);
    });
  }
  p.finalize();
  await done;
  let bytes: Buffer = Buffer.concat(chunks);
  if (opts.gzip !== false) bytes = gzipSync(bytes, { level: 9 });
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes, { mode: 0o644 });
  renameSync(tmp, out);
  return digest;
}

/** Is this file an image file (a tar or gzip'd tar), rather than a directory? By magic bytes. */
export function looksLikeArchive(head: Uint8Array): boolean {
  return (head[0] === 0x1f && head[1] === 0x8b) || (head.length >= 262 && new TextDecoder().decode(head.subarray(257, 262)) === 'ustar');
}

/** Reads and verifies an image file. Throws ImageError saying what is wrong. */
export async function readImage(file: string): Promise<ImageContents> {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    throw new ImageError(file, `cannot read: ${(e as Error).message}`);
  }
  let tar = raw;
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      tar = gunzipSync(raw);
    } catch (e) {
      throw new ImageError(file, `corrupt or truncated image (gzip: ${(e as Error).message})`);
    }
  }
  if (tar.length < 512) throw new ImageError(file, 'not an isokernel image (too short to be a tar archive)');

  let members: Member[];
  try {
    members = readTar(tar).map((m) => ({ name: m.name.replace(/\/$/, ''), type: m.type, mode: m.mode, data: m.data, target: m.linkname }));
  } catch (e) {
    throw new ImageError(file, `corrupt or truncated image (tar: ${(e as Error).message})`);
  }
  return verify(file, members);
}

function verify(file: string, members: Member[]): ImageContents {
  const bad = (msg: string): never => {
    throw new ImageError(file, msg);
  };
  const dec = new TextDecoder('utf-8', { fatal: false });
  if (members[0]?.name !== 'ISOKERNEL-IMAGE') bad('not an isokernel image (no ISOKERNEL-IMAGE member first)');
  let head: { format?: string; formatVersion?: number };
  try {
    head = JSON.parse(dec.decode(members[0]!.data));
  } catch {
    return bad('corrupt image: ISOKERNEL-IMAGE is not JSON');
  }
  if (head.format !== IMAGE_FORMAT) bad('not an isokernel image (wrong format name)');
  if (head.formatVersion !== IMAGE_FORMAT_VERSION) bad(`image format version ${head.formatVersion} is not supported (this isokernel reads ${IMAGE_FORMAT_VERSION})`);
  const n = members.length;
  if (members[n - 1]?.name !== 'SHA256' || members[n - 2]?.name !== 'SHA256SUMS') bad('truncated or corrupt image: the checksum members SHA256SUMS and SHA256 are missing at its end');
  const listing = dec.decode(members[n - 2]!.data);
  const digest = sha256(listing);
  const want = dec.decode(members[n - 1]!.data).trim();
  if (digest !== want) bad(`corrupt image: the checksum listing's SHA-256 is ${digest}, the image says ${want}`);
  const lines = listing.split('\n').slice(0, -1);
  const body = members.slice(0, n - 2);
  if (lines.length !== body.length) bad(`corrupt image: ${body.length} members, the checksum listing has ${lines.length}`);
  body.forEach((m, i) => {
    const got = listingLine(m);
    if (got !== lines[i]) {
      const name = lines[i]!.split(' ').slice(3).join(' ');
      bad(`corrupt image: member ${i} (${m.name}) does not match its checksum${name !== m.name ? ` (the listing names ${name})` : ''}`);
    }
  });
  const get = (name: string): Member => body.find((m) => m.name === name) ?? bad(`corrupt image: no ${name}`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(dec.decode(get('manifest.json').data)) as Manifest;
  } catch {
    return bad('corrupt image: manifest.json is not JSON');
  }
  const entries: ImageEntry[] = [];
  for (const m of body) {
    if (!m.name.startsWith(ROOTFS)) continue;
    const path = m.name.slice(ROOTFS.length);
    if (path.split('/').some((s) => s === '..' || s === '.' || s === '')) bad(`corrupt image: bad member name ${m.name}`);
    if (m.type === 'file') entries.push({ type: 'file', path, mode: m.mode, data: m.data! });
    else if (m.type === 'directory') entries.push({ type: 'dir', path, mode: m.mode });
    else entries.push({ type: 'symlink', path, target: m.target! });
  }
  return { manifest, manifestSource: dec.decode(get('isokernel.toml').data), entries, digest };
}
