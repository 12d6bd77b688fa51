// The control socket's `logs` op (src/image/control.ts; docs/logging.md, "isokernel logs"):
// lines of the running image's /var/log files, read through the kernel's namespace (so it
// sees what syslogd wrote, wherever /var is mounted).
//
//   request  { id, op: "logs", service?: NAME, n?: N, follow?: true }
//   frames   { id, fd: 1, text: "LINE\n..." }
//   end      { id, end: true, status }            (status 1 with { error } when no log)
//
// Which file: with a service, the first file of the manifest's [logs] whose match names
// it without a wildcard, else the first that routes it (a '*' pattern); the lines are
// those whose tag is the service. Without one, the first catch-all ('*') file, else the
// first file. n: the last n lines (from the rotated files too, NAME.log.1[.gz] …, when
// the current file has fewer); without n, the whole current file. follow: then every new
// line as syslogd writes it, across rotations, until the client disconnects.
import { StringDecoder } from 'node:string_decoder';
import type { Kernel } from '../kernel/kernel.ts';
import type { Loc } from '../kernel/vfs/namespace.ts';
import type { FileHandle } from '../kernel/vfs/vnode.ts';
import { checkConfig, defaultConfig, type SyslogConfig } from '../../userland/sbin/sysloglib/config.ts';
import { type ControlContext, registerControlOp } from './control.ts';
import { chooseFile, lines, type LogReadFn, readLastLines } from './log-files.ts';
import { MANIFEST_GUEST_PATH } from './manifest-types.ts';

export const LOG_DIR = '/var/log';
/** How often a follow looks for new lines. */
const FOLLOW_MS = 200;

/** Most lines `n` may ask for. */
const N_MAX = 1_000_000;
/** At most this much of a file is read for one request (the tail of a bigger one). */
const READ_MAX = 64 << 20;

function lookup(k: Kernel, path: string): Loc | null {
  try {
    return k.ns.resolve(k.ns.root, k.ns.root, path, true);
  } catch {
    return null;
  }
}

/** A file's bytes from `from` to its end (at most READ_MAX, the last ones); `end` is the offset after them. */
function readEnd(loc: Loc, from = 0): { bytes: Uint8Array; end: number } {
  const size = loc.vnode.stat().size;
  const start = Math.max(from, size - READ_MAX);
  const bytes = readFrom(loc, from);
  return { bytes, end: start + bytes.length };
}

function readFrom(loc: Loc, from = 0, to = Infinity): Uint8Array {
  const size = Math.min(loc.vnode.stat().size, to);
  const start = Math.max(from, size - READ_MAX);
  if (size <= start) return new Uint8Array(0);
  const h: FileHandle = loc.vnode.open(false);
  try {
    const out = new Uint8Array(size - start);
    let off = 0;
    while (off < out.length) {
      const n = h.read(out.subarray(off), start + off);
      if (n === 0) break;
      off += n;
    }
    return out.subarray(0, off);
  } finally {
    h.close();
  }
}

function config(k: Kernel): SyslogConfig {
  const loc = lookup(k, MANIFEST_GUEST_PATH);
  if (!loc) return defaultConfig();
  try {
    const m = JSON.parse(Buffer.from(readFrom(loc)).toString()) as { logs?: unknown };
    const c = m.logs === undefined ? defaultConfig() : checkConfig(m.logs);
    return c.files.length === 0 ? defaultConfig() : c;
  } catch {
    return defaultConfig();
  }
}

function lastLines(k: Kernel, name: string, tag: string | undefined, n: number, curEnd: number): string[] {
  const read: LogReadFn = (path, to = Infinity) => {
    const loc = lookup(k, path);
    return loc ? readFrom(loc, 0, to) : null;
  };
  return readLastLines(read, LOG_DIR, name, tag, n, curEnd);
}

/** Sends lines in frames of at most ~64 KiB. */
function sendLines(ctx: ControlContext, ls: string[]): void {
  let chunk = '';
  for (const l of ls) {
    chunk += l + '\n';
    if (chunk.length >= 65536) {
      ctx.send({ fd: 1, text: chunk });
      chunk = '';
    }
  }
  if (chunk) ctx.send({ fd: 1, text: chunk });
}

export async function logsOp(req: Record<string, unknown>, ctx: ControlContext): Promise<void> {
  const { service, n, follow } = req;
  if (service !== undefined && (typeof service !== 'string' || service === '')) throw new Error('logs: service must be a name');
  if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > N_MAX)) throw new Error(`logs: n must be 0..${N_MAX}`);
  if (follow !== undefined && typeof follow !== 'boolean') throw new Error('logs: follow must be true or false');
  const k = ctx.kernel;
  const name = chooseFile(config(k), service);
  if (name === null) return ctx.end(1, { error: `no log file takes the lines of ${service}` });
  const path = `${LOG_DIR}/${name}.log`;
  let cur = lookup(k, path);
  if (!cur && !follow) return ctx.end(1, { error: `${path}: no such file (is syslogd running?)` });
  let offset = 0;
  let rest = '';
  if (n !== undefined) {
    // The current file up to this offset; follow goes on from it.
    offset = cur ? cur.vnode.stat().size : 0;
    sendLines(ctx, lastLines(k, name, service, n, offset));
    // A partial last line is sent when its newline comes.
    if (cur && offset > 0) {
      const tail = Buffer.from(readFrom(cur, Math.max(0, offset - 16384))).toString();
      rest = tail.slice(tail.lastIndexOf('\n') + 1);
    }
  } else if (cur) {
    const { bytes, end } = readEnd(cur);
    offset = end;
    const r = lines(Buffer.from(bytes).toString(), service);
    sendLines(ctx, r.whole);
    rest = r.rest;
  }
  if (!follow) return ctx.end(0);
  // Follow: hold the file open and read what it grows by; when the path names another file
  // (syslogd rotated it), finish the old one through the handle (renamed or unlinked, it is
  // still there for us), then start the new one at 0. Files are told apart by inode.
  const dec = new StringDecoder('utf8');
  let h: FileHandle | null = cur ? cur.vnode.open(false) : null;
  let ino = cur ? cur.vnode.stat().ino : -1n;
  const buf = new Uint8Array(65536);
  const readNew = (): void => {
    if (!h) return;
    let text = '';
    for (;;) {
      const got = h.read(buf, offset);
      if (got === 0) break;
      offset += got;
      text += dec.write(buf.subarray(0, got));
    }
    if (text) {
      const r = lines(rest + text, service);
      rest = r.rest;
      sendLines(ctx, r.whole);
    }
  };
  try {
    while (!ctx.signal.aborted) {
      await new Promise((r) => setTimeout(r, FOLLOW_MS));
      if (ctx.signal.aborted) break;
      try {
        readNew();
        const now = lookup(k, path);
        const nowIno = now ? now.vnode.stat().ino : -1n;
        if (now && nowIno !== ino) {
          readNew();
          h?.close();
          h = now.vnode.open(false);
          ino = nowIno;
          offset = 0;
          rest = '';
          readNew();
        }
      } catch {
        // A file went away between two looks: the next round finds the new one.
      }
    }
  } finally {
    h?.close();
  }
  ctx.end(0);
}

registerControlOp('logs', logsOp);
