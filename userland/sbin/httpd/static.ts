// Static files: URL path → file under the document root, validators (ETag, Last-Modified),
// conditional requests (RFC 9110 13), byte ranges (RFC 9110 14), directory index and listing.
//
// No way out of the root: the path is percent-decoded once; an encoded slash or backslash,
// a NUL, invalid UTF-8 or a `..` segment is refused (400) before the file system is asked;
// then the file's real path (symlinks resolved) must lie under the root's real path (else
// 404, as if it were not there: a symlink out of the root says nothing about the outside).
// Files are read through node:fs, which inside isokernel is the kernel's system calls.
import { promises as fsp, type Stats } from 'node:fs';
import { HttpError, header, type RequestHead } from './parser.ts';
import { mimeType } from './mime.ts';
import { errorResponse, escapeHtml, httpDate, parseHttpDate, type Response } from './response.ts';

export interface StaticConfig {
  /** The document root as configured. */
  root: string;
  /** The root with symlinks resolved (set when the config is loaded). */
  rootReal: string;
  /** Index file names tried in a directory, in order. */
  index: string[];
  /** List a directory that has no index file (else 403). */
  autoindex: boolean;
  mime?: Record<string, string>;
}

/**
 * The decoded, normalized path of a URL path (the request-target's path, without the
 * query): percent-decoded as UTF-8, `.` and empty segments dropped; a trailing slash kept.
 *
 * Errors: HttpError 400 for a bad percent-escape, invalid UTF-8, NUL, an encoded `/` or `\`,
 * a literal `\`, or a `..` segment.
 */
export function decodePath(raw: string): string {
  if (raw[0] !== '/') throw new HttpError(400, 'path must start with /', false);
  if (/%(2f|5c|00)/i.test(raw) || raw.includes('\\')) throw new HttpError(400, 'encoded slash, backslash or NUL in path', false);
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 37) {
      const h = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(h)) throw new HttpError(400, 'bad percent-escape in path', false);
      bytes.push(parseInt(h, 16));
      i += 2;
    } else bytes.push(c);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    throw new HttpError(400, 'path is not UTF-8', false);
  }
  const segs: string[] = [];
  for (const s of text.split('/')) {
    if (s === '..') throw new HttpError(400, '.. in path', false);
    if (s !== '' && s !== '.') segs.push(s);
  }
  const trailing = text.endsWith('/') || text.endsWith('/.');
  return '/' + segs.join('/') + (trailing && segs.length ? '/' : '');
}

/** `"size-mtime"` in hex: changes when either does (as nginx forms it). */
export function etagFor(size: number, mtimeMs: number): string {
  return `"${Math.floor(mtimeMs).toString(16)}-${size.toString(16)}"`;
}

/** Entity-tags of an If-Match / If-None-Match value; '*' alone gives ['*']. */
export function parseEtags(v: string): string[] {
  if (v.trim() === '*') return ['*'];
  return [...v.matchAll(/(W\/)?"[\x21\x23-\x7e\x80-\xff]*"/g)].map((m) => m[0]);
}

const opaque = (t: string): string => (t.startsWith('W/') ? t.slice(2) : t);

export type RangeResult = null | 'unsatisfiable' | { start: number; end: number }[];

/**
 * The byte ranges a Range value asks of a representation of `size` bytes (end exclusive):
 * null to ignore the field (another unit, bad syntax, too many ranges), 'unsatisfiable'
 * when no range overlaps the content (416).
 */
export function parseRange(v: string, size: number, maxRanges = 16): RangeResult {
  const m = /^bytes[ \t]*=[ \t]*(.*)$/i.exec(v);
  if (!m) return null;
  const specs = m[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!specs.length || specs.length > maxRanges) return null;
  const out: { start: number; end: number }[] = [];
  for (const s of specs) {
    const r = /^(\d{0,15})-(\d{0,15})$/.exec(s);
    if (!r || (r[1] === '' && r[2] === '')) return null;
    if (r[1] === '') {
      const n = Number(r[2]);
      if (n === 0) continue;
      out.push({ start: Math.max(0, size - n), end: size });
    } else {
      const a = Number(r[1]);
      if (r[2] !== '' && Number(r[2]) < a) return null;
      if (a >= size) continue;
      const b = r[2] === '' ? size - 1 : Number(r[2]);
      out.push({ start: a, end: Math.min(b, size - 1) + 1 });
    }
  }
  if (!out.length) return 'unsatisfiable';
  return out;
}

export interface Validators {
  etag: string;
  mtimeMs: number;
}

/**
 * Evaluates preconditions in RFC 9110 13.2.2's order: the status to answer instead of the
 * normal response (304 or 412), or null to go on.
 */
export function checkPreconditions(h: RequestHead, v: Validators): 304 | 412 | null {
  const get = h.method === 'GET' || h.method === 'HEAD';
  const lmSec = Math.floor(v.mtimeMs / 1000) * 1000;
  const im = header(h, 'if-match');
  if (im !== undefined) {
    const tags = parseEtags(im);
    // Strong comparison: a weak tag never matches.
    if (!(tags[0] === '*' || tags.some((t) => !t.startsWith('W/') && t === v.etag))) return 412;
  } else {
    const ius = header(h, 'if-unmodified-since');
    const d = ius === undefined ? NaN : parseHttpDate(ius);
    if (!Number.isNaN(d) && lmSec > d) return 412;
  }
  const inm = header(h, 'if-none-match');
  if (inm !== undefined) {
    const tags = parseEtags(inm);
    if (tags[0] === '*' || tags.some((t) => opaque(t) === opaque(v.etag))) return get ? 304 : 412;
  } else if (get) {
    const ims = header(h, 'if-modified-since');
    const d = ims === undefined ? NaN : parseHttpDate(ims);
    if (!Number.isNaN(d) && lmSec <= d) return 304;
  }
  return null;
}

/** Whether If-Range (absent, or matching) lets the Range apply. */
export function ifRangeHolds(h: RequestHead, v: Validators): boolean {
  const ir = header(h, 'if-range');
  if (ir === undefined) return true;
  if (ir.startsWith('"')) return ir === v.etag;
  if (ir.startsWith('W/')) return false;
  const d = parseHttpDate(ir);
  return !Number.isNaN(d) && d === Math.floor(v.mtimeMs / 1000) * 1000;
}

/** Whether `real` is `root` or below it. */
export function within(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith('/') ? root : root + '/');
}

export interface StaticRequest {
  head: RequestHead;
  /** decodePath()'s result. */
  path: string;
  /** The raw query (without '?'), or ''. */
  query: string;
}

/** Small files are read whole in the handler; bigger ones are streamed by the connection. */
const INLINE_MAX = 256 * 1024;

// Caches. A system call from a JS process is a round trip between threads (tens of µs), so
// a hot file costs no file-system call at all for up to a second:
// - resolved paths (URL path → real file and its stat) are kept 1 s, then walked and
//   stat'ed again (as nginx's open_file_cache_valid): a file changed, replaced or removed,
//   or a symlink swapped in, is seen within a second;
// - the bytes of files up to 64 KiB (16 MiB in all, least recently used out), used while the
//   file's inode, size and mtime are the ones they were read with.
const RESOLVE_TTL_MS = 1000;
const CACHE_FILE_MAX = 64 * 1024;
const CACHE_TOTAL_MAX = 16 << 20;
const resolved = new Map<string, { found: Found; at: number }>();
const content = new Map<string, { ino: number; size: number; mtimeMs: number; data: Uint8Array }>();
let contentBytes = 0;

function remember(path: string, e: { ino: number; size: number; mtimeMs: number; data: Uint8Array }): void {
  const old = content.get(path);
  if (old) {
    contentBytes -= old.size;
    content.delete(path);
  }
  content.set(path, e);
  contentBytes += e.size;
  for (const [k, v] of content) {
    if (contentBytes <= CACHE_TOTAL_MAX) break;
    content.delete(k);
    contentBytes -= v.size;
  }
}

/** resolveUnder, with a short-lived cache of the walk and the stat (see above). */
export async function resolveCached(rootReal: string, path: string): Promise<Found | null> {
  const key = `${rootReal}\0${path}`;
  const hit = resolved.get(key);
  const now = Date.now();
  if (hit && now - hit.at < RESOLVE_TTL_MS) return hit.found;
  const f = await resolveUnder(rootReal, path);
  if (f) {
    if (resolved.size > 10_000) resolved.clear();
    resolved.set(key, { found: f, at: now });
  } else resolved.delete(key);
  return f;
}

/**
 * The response to a GET/HEAD of a static file or directory.
 *
 * Errors: never throws for file-system trouble: ENOENT/ENOTDIR/ELOOP → 404, EACCES → 403,
 * anything else → 500.
 */
export async function serveStatic(req: StaticRequest, cfg: StaticConfig): Promise<Response> {
  const { head } = req;
  if (head.method !== 'GET' && head.method !== 'HEAD') {
    if (head.method === 'OPTIONS') return { status: 204, headers: [['allow', 'GET, HEAD, OPTIONS']] };
    return errorResponse(405, undefined, [['allow', 'GET, HEAD, OPTIONS']]);
  }
  try {
    const found = await resolveCached(cfg.rootReal, req.path);
    if (!found) return errorResponse(404);
    let { real, st } = found;
    let file = real;
    if (st.isDirectory()) {
      if (!req.path.endsWith('/')) {
        const loc = encodeURI(req.path) + '/' + (req.query ? `?${req.query}` : '');
        return { ...errorResponse(301), headers: [['location', loc], ['content-type', 'text/html; charset=utf-8']] };
      }
      const idx = await findIndex(real, req.path, cfg);
      if (!idx) return cfg.autoindex ? await listing(real, req.path, head.method === 'HEAD') : errorResponse(403, 'directory listing is off');
      file = idx.real;
      st = idx.st;
    }
    if (!st.isFile()) return errorResponse(403);
    return await fileResponse(head, file, st, mimeType(file, cfg.mime));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'ENAMETOOLONG') return errorResponse(404);
    if (code === 'EACCES' || code === 'EPERM') return errorResponse(403);
    return errorResponse(500, `${code ?? 'error'}`);
  }
}

async function findIndex(dir: string, urlPath: string, cfg: StaticConfig): Promise<Found | null> {
  for (const name of cfg.index) {
    try {
      const f = await resolveCached(cfg.rootReal, `${urlPath}${name}`);
      if (f && f.st.isFile()) return f;
    } catch {
      // not there: the next name
    }
  }
  return null;
}

export interface Found {
  real: string;
  st: Stats;
}

/**
 * The file a decoded URL path names under `rootReal` (a real path: no symlinks in it), with
 * its stat; null when the path leads outside the root through a symlink. One lstat per
 * component below the root; a symlink sends the rest to realpath, whose answer must be
 * under the root. Throws the file system's errors (ENOENT, ENOTDIR, EACCES...).
 */
export async function resolveUnder(rootReal: string, path: string): Promise<Found | null> {
  const segs = path.split('/').filter(Boolean);
  let cur = rootReal === '/' ? '' : rootReal;
  if (!segs.length) return { real: rootReal, st: await fsp.stat(rootReal) };
  let st!: Stats;
  for (let i = 0; i < segs.length; i++) {
    cur = `${cur}/${segs[i]}`;
    st = await fsp.lstat(cur);
    if (st.isSymbolicLink()) {
      const real = await fsp.realpath(cur);
      if (!within(rootReal, real)) return null;
      const rest = segs.slice(i + 1).join('/');
      return rest ? await resolveUnder(rootReal, real.slice(rootReal.length) + '/' + rest) : { real, st: await fsp.stat(real) };
    }
  }
  return { real: cur || '/', st };
}

async function fileResponse(head: RequestHead, path: string, st: Stats, type: string): Promise<Response> {
  const { size, mtimeMs } = st;
  const v: Validators = { etag: etagFor(size, mtimeMs), mtimeMs };
  const validators: [string, string][] = [['etag', v.etag], ['last-modified', httpDate(mtimeMs)], ['accept-ranges', 'bytes']];
  const pre = checkPreconditions(head, v);
  if (pre === 304) return { status: 304, headers: validators };
  if (pre === 412) return errorResponse(412);
  const rv = header(head, 'range');
  const ranges = rv !== undefined && head.method === 'GET' && ifRangeHolds(head, v) ? parseRange(rv, size) : null;
  if (ranges === 'unsatisfiable') return { ...errorResponse(416), headers: [['content-range', `bytes */${size}`], ['content-type', 'text/html; charset=utf-8']] };
  const isHead = head.method === 'HEAD';
  if (ranges && ranges.length === 1) {
    const r = ranges[0]!;
    return {
      status: 206, headers: [['content-type', type], ['content-range', `bytes ${r.start}-${r.end - 1}/${size}`], ...validators],
      body: await bodyOf(path, st, r.start, r.end, isHead),
    };
  }
  if (ranges) {
    // multipart/byteranges (RFC 9110 14.6): at most 16 parts, read whole.
    const boundary = `isokernel-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    const parts: Uint8Array[] = [];
    const fh = await fsp.open(path, 'r');
    try {
      for (const r of ranges) {
        parts.push(Buffer.from(`\r\n--${boundary}\r\ncontent-type: ${type}\r\ncontent-range: bytes ${r.start}-${r.end - 1}/${size}\r\n\r\n`));
        const b = Buffer.alloc(r.end - r.start);
        let got = 0;
        while (got < b.length) {
          const { bytesRead } = await fh.read(b, got, b.length - got, r.start + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        parts.push(b.subarray(0, got));
      }
    } finally {
      await fh.close();
    }
    parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
    const body = Buffer.concat(parts);
    return { status: 206, headers: [['content-type', `multipart/byteranges; boundary=${boundary}`], ...validators], body: isHead ? headOnly(body.length) : body };
  }
  return { status: 200, headers: [['content-type', type], ...validators], body: await bodyOf(path, st, 0, size, isHead) };
}

/** For HEAD: a stream body of the right length that yields nothing (the writer sends no body for HEAD). */
function headOnly(length: number): Response['body'] {
  return { kind: 'stream', length, chunks: (async function* () {})() };
}

async function bodyOf(path: string, st: Stats, start: number, end: number, isHead: boolean): Promise<Response['body']> {
  if (isHead || end - start > INLINE_MAX) return isHead ? headOnly(end - start) : { kind: 'file', path, start, end };
  const cached = content.get(path);
  if (cached && cached.ino === st.ino && cached.size === st.size && cached.mtimeMs === st.mtimeMs) {
    content.delete(path);
    content.set(path, cached);
    return cached.data.subarray(start, end);
  }
  if (st.size <= CACHE_FILE_MAX && start === 0 && end === st.size) {
    const data = await readRange(path, 0, st.size);
    if (data.length === st.size) remember(path, { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, data });
    return data;
  }
  return readRange(path, start, end);
}

async function readRange(path: string, start: number, end: number): Promise<Uint8Array> {
  const fh = await fsp.open(path, 'r');
  try {
    const b = Buffer.alloc(end - start);
    let got = 0;
    while (got < b.length) {
      const { bytesRead } = await fh.read(b, got, b.length - got, start + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    // A file that shrank since stat: what is there (Content-Length follows the bytes).
    return b.subarray(0, got);
  } finally {
    await fh.close();
  }
}

async function listing(dir: string, urlPath: string, isHead: boolean): Promise<Response> {
  const ents = (await fsp.readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  ents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const title = `Index of ${escapeHtml(urlPath)}`;
  const rows = ents.map((e) => {
    const n = e.name + (e.isDirectory() ? '/' : '');
    return `<li><a href="${escapeHtml(encodeURIComponent(e.name) + (e.isDirectory() ? '/' : ''))}">${escapeHtml(n)}</a></li>`;
  });
  const up = urlPath === '/' ? '' : '<li><a href="../">../</a></li>';
  const body = Buffer.from(`<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><ul>${up}${rows.join('')}</ul></body></html>\n`);
  return { status: 200, headers: [['content-type', 'text/html; charset=utf-8']], body: isHead ? headOnly(body.length) : body };
}
