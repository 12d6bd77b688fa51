// Core files (issue 5): what a process that died of a core-dumping signal leaves behind, when
// its RLIMIT_CORE (limits.coreBytes) is above 0 and the kernel has a core directory
// (BootOptions.coreDir). docs/core.md describes the format; `isokernel core` reads it.
//
// The format is the WebAssembly tool-conventions' coredump (Coredump.md): a wasm binary,
// never instantiated, holding
//   custom "isokernel.core"  first: a JSON header — the process (pid, program, argv, env, cwd,
//                            ids), the signal, the fault record with its backtrace and source
//                            lines, the globals, the open descriptors, and what of memory
//                            was saved (`memory.truncated` says the limit cut it)
//   custom "core"            0x00 executable-name
//   custom "corestack"       0x00 thread-name vec(frame), frame = 0x00 funcidx codeoffset
//                            locals stack (codeoffset from the start of the function's
//                            body; locals and operand-stack values are not known: empty)
//   memory section           one memory, minimum = its size in pages when the process died
//   global section           every global of the module, as constants (a value the kernel
//                            could not read is written as zero and listed as unknown in
//                            the header)
//   data section             active segments at their addresses: the non-zero 4 KiB runs
//                            of linear memory (all-zero runs are left out: memory reads as
//                            zero there), in address order, cut where the limit is reached
//
// Writing: the kernel takes a snapshot synchronously at the fault (descriptors, globals, a
// reference to the dead process's memory — nothing runs in it any more, so it is not
// copied), then scans and writes asynchronously, in slices of at most 4 MiB between which
// the event loop runs; the process stays unreaped meanwhile, as a dumping process does on
// Linux, and ends (its parent sees it killed, its descriptors close) when the file is
// complete. The file is at most limits.coreBytes bytes: the header and the process state
// always fit or no file is written; memory is cut to what fits.
import fs from 'node:fs/promises';
import path from 'node:path';
import { signalName } from '../../abi/signals.ts';
import { FILETYPE } from '../../abi/wasi.ts';
import { DirectoryFile, type OpenFile, VnodeFile } from '../fd/open-file.ts';
import { PipeReader, PipeWriter } from '../fd/pipe.ts';
import { BytesInput, CaptureOutput, HostInput, HostOutput } from '../fd/stdio.ts';
import type { Namespace } from '../vfs/namespace.ts';
import type { CoreOutcome, FaultFrame, FaultRecord } from './fault.ts';
import { GLOBAL_EXPORT, parseGlobalNames, SP_EXPORT } from './instrument.ts';
import type { Program } from './loader.ts';
import type { Process } from './process.ts';
import { customSection, Reader, section, ulebLength, Writer } from './wasm-binary.ts';

export const CORE_FORMAT = 'isokernel-core';
export const CORE_VERSION = 1;
export const HEADER_SECTION = 'isokernel.core';
/** The granularity at which all-zero memory is left out. */
export const CORE_CHUNK = 4096;
const WASM_PAGE = 65536;
/** The most memory bytes written by one write() call, and scanned between two yields. */
const SLICE = 4 << 20;

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | 'unknown';

export interface CoreGlobal {
  /** Index in the module's global index space; null for an export whose index is not known. */
  index: number | null;
  /** From the name section (or the export's name). */
  name: string | null;
  type: ValType;
  /** Decimal text (i64 needs more than a JS number); null if the kernel could not read it. */
  value: string | null;
}

export interface CoreFd {
  fd: number;
  /** "regular file", "directory", "character device", "pipe (read end)", "host fd 1", ... */
  kind: string;
  /** The path in the process's namespace where the kernel can tell it, else null. */
  path: string | null;
  readable: boolean;
  writable: boolean;
  /** The name a preopened directory has for the guest. */
  preopen: string | null;
  cloexec: boolean;
}

/** The JSON header (custom section "isokernel.core"). */
export interface CoreHeader {
  format: typeof CORE_FORMAT;
  version: number;
  /** When the process died (ISO 8601). */
  time: string;
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  program: string;
  argv: string[];
  env: string[];
  cwd: string;
  signal: number;
  signalName: string;
  /** The fault record (its time as ISO text); null when a signal, not a trap, killed it. */
  fault: (Omit<FaultRecord, 'time' | 'core'> & { time: string }) | null;
  globals: CoreGlobal[];
  fds: CoreFd[];
  memory: {
    /** Linear memory's size when the process died. */
    bytes: number;
    /** Bytes saved in data segments (all-zero chunks are not counted: they need no bytes). */
    saved: number;
    /** Memory above this address is not in the file (the limit cut it); = bytes when complete. */
    end: number;
    truncated: boolean;
    /** RLIMIT_CORE when it was written; null for unlimited. */
    limit: number | null;
    segments: number;
  };
  /** What the kernel could not put in the file, in words ("globals: ..."). */
  notes: string[];
}

/** What a fault leaves to be written: taken synchronously, before the process is torn down. */
export interface CoreSnapshot {
  header: CoreHeader;
  /** The whole of linear memory (a view of the dead process's buffer), or null. */
  memory: Uint8Array | null;
  /** corestack frames: [funcidx, codeoffset]. */
  frames: [number, number][];
  threadName: string;
  /** Global section: per index, its binary value type and value (null: unknown). */
  globalSection: { type: number; value: number | bigint | null }[] | null;
}

const TYPE_NAMES: Record<number, ValType> = {
  0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref',
};

/** The core file's path for a process: `DIR/core.PROGRAM.PID`, PROGRAM the program's basename without `.wasm`. */
export function corePath(dir: string, p: Process): string {
  const base = path.posix.basename(p.program.replace(/\\/g, '/')).replace(/\.wasm$/, '') || 'program';
  return path.join(dir, `core.${base.replace(/[^\w.+-]/g, '_')}.${p.pid}`);
}

/**
 * Takes what the core file needs from a process that has just died of `signal` (its instance
 * and descriptors still in place). `record` is its fault record, null if a signal killed it.
 */
export function snapshotCore(p: Process, prog: Program, signal: number, record: FaultRecord | null,
  ns: Namespace): CoreSnapshot {
  const notes: string[] = [];
  let memory: Uint8Array | null = null;
  try {
    memory = p.mem ? p.mem.whole() : null;
  } catch (e) {
    notes.push(`memory: ${(e as Error).message}`);
  }
  if (!memory) notes.push('memory: none (the process had no memory yet)');

  // Globals: the instrumented module exports each defined global as __isokernel_global_N
  // (proc/instrument.ts); the module's own exports add names; a threaded process's
  // globals live in its workers' instances and are not read.
  const layout = prog.layout ?? null;
  const names = parseGlobalNames(prog.custom.get('name'));
  const values = new Map<number, number | bigint>();
  const globals: CoreGlobal[] = [];
  const exports = p.instance?.exports ?? {};
  const valueOf = (g: WebAssembly.Global): number | bigint | null => {
    try {
      const v = g.value as unknown;
      return typeof v === 'number' || typeof v === 'bigint' ? v : null;
    } catch {
      return null; // v128 cannot be read from JS
    }
  };
  for (const [name, g] of Object.entries(exports)) {
    if (!(g instanceof WebAssembly.Global)) continue;
    if (name.startsWith(GLOBAL_EXPORT)) {
      const v = valueOf(g);
      if (v !== null) values.set(Number(name.slice(GLOBAL_EXPORT.length)), v);
    } else if (name === SP_EXPORT && prog.protection?.stackPointer != null) {
      const v = valueOf(g);
      if (v !== null) values.set(prog.protection.stackPointer, v);
    }
  }
  const count = layout ? layout.globalTypes.length : 0;
  for (let i = 0; i < count; i++) {
    const t = layout!.globalTypes[i]!;
    const v = values.get(i);
    globals.push({ index: i, name: names.get(i) ?? null, type: TYPE_NAMES[t] ?? 'unknown', value: v === undefined ? null : textOf(t, v) });
  }
  // Exported globals of a module the kernel did not rewrite (their index is not known).
  if (values.size === 0) {
    for (const [name, g] of Object.entries(exports)) {
      if (!(g instanceof WebAssembly.Global) || name.startsWith('__isokernel_')) continue;
      const v = valueOf(g);
      globals.push({ index: null, name, type: typeof v === 'bigint' ? 'i64' : 'unknown', value: v === null ? null : String(v) });
    }
  }
  if (prog.threads) notes.push('globals: not read (a threaded process keeps them in its threads\' instances)');
  else if (count > 0 && values.size < count) notes.push(`globals: ${count - values.size} of ${count} not readable (the module was not rewritten, or v128)`);
  const globalSection = layout
    ? [...layout.globalTypes].map((type, i) => ({ type, value: values.get(i) ?? null }))
    : null;

  const fds: CoreFd[] = [];
  for (const [fd, e] of p.fds.list()) {
    const { kind, path: where } = describeFile(e.file, ns, p);
    fds.push({
      fd, kind, path: e.preopen ?? where, readable: e.file.readable, writable: e.file.writable, preopen: e.preopen,
      cloexec: e.cloexec === true,
    });
  }

  const frames: [number, number][] = (record?.frames ?? []).map((f: FaultFrame) => {
    const body = layout && f.index >= layout.funcImports ? layout.bodies[f.index - layout.funcImports] : undefined;
    return [f.index, body !== undefined && f.offset >= body ? f.offset - body : 0];
  });
  const fault = record ? { ...record, time: record.time.toISOString() } : null;
  if (fault) delete (fault as { core?: unknown }).core;
  const limit = p.limits.coreBytes;
  const header: CoreHeader = {
    format: CORE_FORMAT, version: CORE_VERSION, time: (record?.time ?? new Date()).toISOString(),
    pid: p.pid, ppid: p.ppid, uid: p.uid, gid: p.gid, program: p.program, argv: [...p.argv], env: [...p.env],
    cwd: p.cwdPath, signal, signalName: signalName(signal), fault, globals, fds,
    memory: {
      bytes: memory?.length ?? 0, saved: 0, end: memory?.length ?? 0, truncated: false,
      limit: Number.isFinite(limit) ? limit : null, segments: 0,
    },
    notes,
  };
  if (!record) notes.push(`backtrace: none (killed by ${signalName(signal)}, not by a trap)`);
  return {
    header, memory, frames, globalSection,
    threadName: record?.tid !== undefined ? `thread ${record.tid}` : 'main',
  };
}

function textOf(type: number, v: number | bigint): string {
  if (type === 0x7f && typeof v === 'number') return String(v | 0);
  return String(v);
}

const FILETYPE_NAMES: Record<number, string> = {
  [FILETYPE.UNKNOWN]: 'unknown', [FILETYPE.BLOCK_DEVICE]: 'block device', [FILETYPE.CHARACTER_DEVICE]: 'character device',
  [FILETYPE.DIRECTORY]: 'directory', [FILETYPE.REGULAR_FILE]: 'regular file', [FILETYPE.SOCKET_DGRAM]: 'socket (datagram)',
  [FILETYPE.SOCKET_STREAM]: 'socket (stream)', [FILETYPE.SYMBOLIC_LINK]: 'symbolic link',
};

function describeFile(f: OpenFile, ns: Namespace, p: Process): { kind: string; path: string | null } {
  if (f instanceof PipeReader) return { kind: 'pipe (read end)', path: null };
  if (f instanceof PipeWriter) return { kind: 'pipe (write end)', path: null };
  if (f instanceof HostInput || f instanceof HostOutput) {
    return { kind: `host fd ${f.fd}${f.filetype === FILETYPE.CHARACTER_DEVICE ? ' (terminal)' : ''}`, path: null };
  }
  if (f instanceof CaptureOutput) return { kind: 'captured output', path: null };
  if (f instanceof BytesInput) return { kind: 'bytes (input)', path: null };
  const kind = f instanceof DirectoryFile ? 'directory'
    : f instanceof VnodeFile ? FILETYPE_NAMES[f.filetype] ?? 'file' : f.constructor.name;
  const loc = f.loc;
  if (!loc) return { kind, path: null };
  try {
    let where = ns.pathOf(loc, p.root);
    if (where === null && f.filetype !== FILETYPE.DIRECTORY) {
      // A file whose filesystem does not know its parent: look for it in its mount's root.
      const ino = loc.vnode.stat().ino;
      const name = loc.mount.root.readdir().find((e) => e.ino === ino)?.name;
      const dir = name !== undefined ? ns.pathOf({ mount: loc.mount, vnode: loc.mount.root }, p.root) : null;
      if (dir !== null && name !== undefined) where = dir === '/' ? `/${name}` : `${dir}/${name}`;
    }
    return { kind, path: where };
  } catch {
    return { kind, path: null };
  }
}

// ---- encoding ----

/** Everything before the data section: the header, "core", "corestack", memory and globals. */
function encodePrefix(s: CoreSnapshot): Uint8Array {
  const out = new Writer();
  out.bytes(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
  out.bytes(customSection(HEADER_SECTION, new TextEncoder().encode(JSON.stringify(s.header))));
  out.bytes(customSection('core', new Writer().byte(0).name(s.header.program).result()));
  const stack = new Writer().byte(0).name(s.threadName).u32(s.frames.length);
  for (const [func, off] of s.frames) stack.byte(0).u32(func).u32(off).u32(0).u32(0);
  out.bytes(customSection('corestack', stack.result()));
  if (s.memory) {
    out.bytes(section(5, new Writer().u32(1).byte(0).u32(Math.ceil(s.memory.length / WASM_PAGE)).result()));
  }
  if (s.globalSection && s.globalSection.length > 0) {
    const g = new Writer().u32(s.globalSection.length);
    for (const { type, value } of s.globalSection) {
      g.byte(type).byte(0);
      switch (type) {
        case 0x7f: g.byte(0x41).s64(BigInt(typeof value === 'number' ? value | 0 : 0)); break;
        case 0x7e: g.byte(0x42).s64(typeof value === 'bigint' ? BigInt.asIntN(64, value) : 0n); break;
        case 0x7d: {
          const b = new Uint8Array(4);
          new DataView(b.buffer).setFloat32(0, typeof value === 'number' ? value : 0, true);
          g.byte(0x43).bytes(b);
          break;
        }
        case 0x7c: {
          const b = new Uint8Array(8);
          new DataView(b.buffer).setFloat64(0, typeof value === 'number' ? value : 0, true);
          g.byte(0x44).bytes(b);
          break;
        }
        case 0x7b: g.byte(0xfd).u32(12).bytes(new Uint8Array(16)); break;
        default: g.byte(0xd0).byte(type); // ref.null of a reference type
      }
      g.byte(0x0b);
    }
    out.bytes(section(6, g.result()));
  }
  return out.result();
}

/** A run of memory to save: [start, end). */
type Run = [number, number];

/** The non-zero CORE_CHUNK runs of `mem`, scanned in slices with the event loop running between. */
async function nonZeroRuns(mem: Uint8Array): Promise<Run[]> {
  const runs: Run[] = [];
  const words = mem.length >>> 2;
  const u32 = new Uint32Array(mem.buffer, mem.byteOffset, words);
  const chunkWords = CORE_CHUNK >>> 2;
  let runStart = -1;
  for (let base = 0; base < mem.length; base += CORE_CHUNK) {
    if (base > 0 && base % SLICE === 0) await new Promise((r) => setImmediate(r));
    const w0 = base >>> 2;
    const w1 = Math.min(w0 + chunkWords, words);
    let zero = true;
    for (let w = w0; w < w1; w++) {
      if (u32[w] !== 0) {
        zero = false;
        break;
      }
    }
    for (let b = w1 << 2; zero && b < Math.min(base + CORE_CHUNK, mem.length); b++) if (mem[b] !== 0) zero = false;
    if (!zero && runStart < 0) runStart = base;
    if (zero && runStart >= 0) {
      runs.push([runStart, base]);
      runStart = -1;
    }
  }
  if (runStart >= 0) runs.push([runStart, mem.length]);
  return runs;
}

/** A data segment's bytes before its data: kind 0 (active), i32.const address, end, the byte count. */
function segmentHeader(start: number, len: number): Uint8Array {
  return new Writer().byte(0).byte(0x41).s64(BigInt(start | 0)).byte(0x0b).u32(len).result();
}

/**
 * Writes the core file for `snap` at `file`, at most `limit` bytes (Infinity: unlimited).
 * Resolves with what happened; never rejects.
 */
export async function writeCore(file: string, snap: CoreSnapshot, limit: number): Promise<CoreOutcome> {
  let fh: fs.FileHandle | null = null;
  try {
    const mem = snap.memory;
    const runs = mem ? await nonZeroRuns(mem) : [];
    const h = snap.header.memory;
    // Plan: segments in address order while they fit; the header is re-encoded with the
    // plan's numbers until its size settles (a number's digits can change it).
    let prefix: Uint8Array = new Uint8Array(0);
    let plan: Run[] = [];
    let dataPayload = 0;
    const maxSection = 0xffffffff;
    for (let attempt = 0; attempt < 4; attempt++) {
      prefix = encodePrefix(snap);
      if (prefix.length > limit) {
        return { path: file, error: `the core limit (${limit} bytes) is below the size of the process state (${prefix.length} bytes)` };
      }
      plan = [];
      dataPayload = 0;
      let budget = Math.min(limit, Number.MAX_SAFE_INTEGER) - prefix.length - 1 - 5 - 5; // id, size, count (upper bounds)
      let end = mem ? mem.length : 0;
      let truncated = false;
      for (const [s, e] of runs) {
        const room = Math.min(budget, maxSection - 16 - dataPayload) - segmentHeader(s, e - s).length;
        if (room <= 0) {
          truncated = true;
          end = s;
          break;
        }
        const take = Math.min(e - s, room);
        plan.push([s, s + take]);
        const cost = segmentHeader(s, take).length + take;
        dataPayload += cost;
        budget -= cost;
        if (take < e - s) {
          truncated = true;
          end = s + take;
          break;
        }
      }
      const saved = plan.reduce((n, [s, e]) => n + e - s, 0);
      const same = h.saved === saved && h.truncated === truncated && h.end === end && h.segments === plan.length;
      h.saved = saved;
      h.truncated = truncated;
      h.end = end;
      h.segments = plan.length;
      if (same) break;
    }
    if (plan.length > 0) dataPayload += ulebLength(plan.length);

    await fs.mkdir(path.dirname(file), { recursive: true });
    fh = await fs.open(file, 'w', 0o600);
    let written = 0;
    const put = async (b: Uint8Array): Promise<void> => {
      let at = 0;
      while (at < b.length) {
        const { bytesWritten } = await fh!.write(b, at, b.length - at);
        at += bytesWritten;
      }
      written += b.length;
    };
    await put(prefix);
    if (plan.length > 0 && mem) {
      await put(new Writer().byte(11).u32(dataPayload).u32(plan.length).result());
      for (const [s, e] of plan) {
        await put(segmentHeader(s, e - s));
        for (let at = s; at < e; at += SLICE) {
          // A copy: fs may not write from a SharedArrayBuffer (threaded processes).
          const slice = mem.subarray(at, Math.min(e, at + SLICE));
          await put(mem.buffer instanceof ArrayBuffer ? slice : slice.slice());
        }
      }
    }
    await fh.close();
    fh = null;
    return { path: file, bytes: written, truncated: h.truncated };
  } catch (e) {
    await fh?.close().catch(() => {});
    return { path: file, error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
}

// ---- reading (isokernel core) ----

export class CoreFormatError extends Error {}

/** The shared reader, failing with CoreFormatError. */
class CoreReader extends Reader {
  protected override fail(what: string): never {
    throw new CoreFormatError(what);
  }
}

export interface CoreFile {
  header: CoreHeader;
  /** The data segments: [address, bytes]. */
  segments: { address: number; data: Uint8Array }[];
  /** corestack: thread name and frames [funcidx, codeoffset]. */
  stack: { thread: string; frames: [number, number][] } | null;
  executable: string | null;
  /** Memory size from the memory section (pages × 64 KiB), or null. */
  memoryBytes: number | null;
}

/** Parses a core file. Errors: CoreFormatError saying what is wrong. */
export function readCore(b: Uint8Array): CoreFile {
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) {
    throw new CoreFormatError('not a core file (no WebAssembly magic number)');
  }
  const r = new CoreReader(b, 8);
  let header: CoreHeader | null = null;
  const segments: CoreFile['segments'] = [];
  let stack: CoreFile['stack'] = null;
  let executable: string | null = null;
  let memoryBytes: number | null = null;
  while (r.pos < b.length) {
    const id = r.byte();
    const size = r.uleb();
    const end = r.pos + size;
    if (end > b.length) throw new CoreFormatError(`section ${id} runs past the end of the file (a cut or unfinished core file?)`);
    r.end = end;
    if (id === 0) {
      const n = r.name();
      if (n === HEADER_SECTION) {
        try {
          header = JSON.parse(new TextDecoder().decode(b.subarray(r.pos, end))) as CoreHeader;
        } catch (e) {
          throw new CoreFormatError(`bad ${HEADER_SECTION} section: ${(e as Error).message}`);
        }
      } else if (n === 'core') {
        if (r.byte() === 0) executable = r.name();
      } else if (n === 'corestack' && b[r.pos] === 0) {
        r.pos++;
        const thread = r.name();
        const frames: [number, number][] = [];
        for (let i = r.uleb(); i > 0; i--) {
          r.byte(); // 0x00
          const f = r.uleb();
          const off = r.uleb();
          for (let k = 0; k < 2; k++) { // locals, then the operand stack: skipped
            for (let v = r.uleb(); v > 0; v--) {
              const t = r.byte();
              if (t === 0x7f || t === 0x7e) r.skipLeb();
              else if (t === 0x7d) r.skip(4);
              else if (t === 0x7c) r.skip(8);
              else if (t !== 0x01) throw new CoreFormatError(`corestack value type 0x${t.toString(16)}`);
            }
          }
          frames.push([f, off]);
        }
        stack = { thread, frames };
      }
    } else if (id === 5) {
      if (r.uleb() > 0) {
        const flags = r.byte();
        memoryBytes = r.uleb() * WASM_PAGE;
        if (flags & 1) r.uleb();
      }
    } else if (id === 11) {
      for (let n = r.uleb(); n > 0; n--) {
        const kind = r.uleb();
        if (kind !== 0) throw new CoreFormatError(`data segment kind ${kind}: not a core file's segment`);
        if (r.byte() !== 0x41) throw new CoreFormatError('data segment offset is not an i32.const');
        const address = r.sleb() >>> 0;
        if (r.byte() !== 0x0b) throw new CoreFormatError('data segment offset: no end');
        const len = r.uleb();
        if (r.pos + len > end) throw new CoreFormatError('data segment runs past its section');
        segments.push({ address, data: r.bytes(len) });
      }
    }
    r.pos = end;
    r.end = b.length;
  }
  if (!header) throw new CoreFormatError(`no ${HEADER_SECTION} section: not an isokernel core file`);
  if (header.format !== CORE_FORMAT) throw new CoreFormatError(`header format ${String(header.format)}, not ${CORE_FORMAT}`);
  if (header.version > CORE_VERSION) throw new CoreFormatError(`core format version ${header.version}: this isokernel reads ${CORE_VERSION}`);
  segments.sort((x, y) => x.address - y.address);
  return { header, segments, stack, executable, memoryBytes };
}

/** Memory of a core file as the process saw it: unsaved chunks below `end` read as zero. */
export class CoreMemory {
  readonly size: number;
  /** Bytes at and above this address are not in the file (the core limit cut them). */
  readonly end: number;
  private readonly segs: { address: number; data: Uint8Array }[];
  constructor(core: CoreFile) {
    this.size = core.header.memory.bytes;
    this.end = core.header.memory.end;
    this.segs = core.segments;
  }
  /**
   * `len` bytes at `addr`, or a string saying why they cannot be read: outside memory, or
   * above the point where the file was cut.
   */
  read(addr: number, len: number): Uint8Array | string {
    if (addr < 0 || addr + len > this.size) return `Cannot access memory at address 0x${Math.max(addr, this.size).toString(16)}`;
    if (addr + len > this.end) {
      return `Cannot access memory at address 0x${Math.max(addr, this.end).toString(16)}: not in the core file (memory was truncated at 0x${this.end.toString(16)} by the core limit)`;
    }
    const out = new Uint8Array(len);
    for (const s of this.segs) {
      const s0 = s.address, s1 = s.address + s.data.length;
      if (s1 <= addr || s0 >= addr + len) continue;
      const from = Math.max(addr, s0), to = Math.min(addr + len, s1);
      out.set(s.data.subarray(from - s0, to - s0), from - addr);
    }
    return out;
  }
}
