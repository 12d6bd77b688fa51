// Fault records: what the kernel logs when a trap kills a process (DESIGN.md C2). A trap
// is V8's WebAssembly.RuntimeError (or RangeError for stack exhaustion) thrown out of the
// guest's frames; it is mapped to the signal a Unix process would have received, and its
// wasm frames are read from the error's stack, named from the module's name section.
import { SIG, signalName } from '../../abi/signals.ts';
import type { SourceLoc } from './dwarf.ts';

export interface FaultFrame {
  /** Function index in the module's function index space. */
  index: number;
  /** Name from the name section (or V8's), if any. */
  name: string | null;
  /** Byte offset of the faulting instruction in the module. */
  offset: number;
  /** Source position from the program's DWARF line table (proc/dwarf.ts), when it has one. */
  file?: string;
  line?: number;
  /** 0: the compiler gave no column. */
  column?: number;
}

export interface FaultRecord {
  time: Date;
  pid: number;
  program: string;
  signal: number;
  signalName: string;
  /** What happened, in a few words: "out-of-bounds memory access", "unreachable executed", ... */
  kind: string;
  /** The engine's message. */
  message: string;
  frames: FaultFrame[];
  /**
   * The faulting address, where known: the null-page guard reports it, a stack overflow
   * gives the stack pointer. V8 does not say which address an out-of-bounds access used, nor
   * which table index an indirect call had: null for those.
   */
  address: number | null;
  /** In a threaded process, the thread that trapped (0 = the main thread). */
  tid?: number;
  /** Set once a core file was written (or failed to be): proc/core.ts. */
  core?: CoreOutcome;
}

/** What became of a fault's core file. */
export type CoreOutcome =
  | { path: string; bytes: number; truncated: boolean }
  | { path: string; error: string };

interface TrapClass {
  signal: number;
  kind: string;
}

/**
 * A fault the kernel raises itself, from a check the instrumenter put in the guest's code
 * (proc/instrument.ts, syscall/isk-guard.ts): a null-page access, a stack overflow. It
 * unwinds the guest like a trap and is recorded like one, with the faulting address.
 */
export class GuestFault extends Error {
  readonly signal: number;
  readonly kind: string;
  readonly address: number | null;
  constructor(signal: number, kind: string, address: number | null, message: string) {
    super(message);
    this.signal = signal;
    this.kind = kind;
    this.address = address;
  }
}

/** Maps an exception thrown out of guest code to a signal, or null if it is not a trap. */
export function classifyTrap(e: unknown): TrapClass | null {
  if (e instanceof GuestFault) return { signal: e.signal, kind: e.kind };
  if (e instanceof RangeError && /call stack/i.test(e.message)) return { signal: SIG.SEGV, kind: 'stack overflow' };
  if (!(e instanceof WebAssembly.RuntimeError)) return null;
  const m = e.message.toLowerCase();
  if (m.includes('unreachable')) return { signal: SIG.ILL, kind: 'unreachable executed' };
  if (m.includes('divide by zero') || m.includes('remainder by zero')) return { signal: SIG.FPE, kind: 'integer divide by zero' };
  // V8: "divide result unrepresentable" (INT_MIN / -1); other engines: "integer overflow".
  if (m.includes('integer overflow') || m.includes('divide result')) return { signal: SIG.FPE, kind: 'integer overflow' };
  if (m.includes('unrepresentable')) return { signal: SIG.FPE, kind: 'invalid conversion to integer' };
  if (m.includes('signature mismatch') || m.includes('null function') || m.includes('table index'))
    return { signal: SIG.ILL, kind: 'bad indirect call' };
  if (m.includes('memory access out of bounds') || m.includes('out of bounds'))
    return { signal: SIG.SEGV, kind: 'out-of-bounds memory access' };
  if (m.includes('stack')) return { signal: SIG.SEGV, kind: 'stack overflow' };
  return { signal: SIG.ILL, kind: 'trap' };
}

const FRAME = /at (?:(.+?) \()?wasm:\/\/wasm\/[^:]*:wasm-function\[(\d+)\]:0x([0-9a-f]+)\)?/;

/** The wasm frames of a trap's stack, innermost first, named from `names` where possible. */
export function wasmFrames(e: Error, names: Map<number, string> | null): FaultFrame[] {
  const out: FaultFrame[] = [];
  for (const line of String(e.stack ?? '').split('\n')) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const index = Number(m[2]);
    const v8name = m[1] && !m[1].startsWith('wasm-function') ? m[1] : null;
    out.push({ index, name: names?.get(index) ?? v8name, offset: parseInt(m[3]!, 16) });
  }
  return out;
}

export function makeFaultRecord(
  e: Error, cls: TrapClass, pid: number, program: string, names: Map<number, string> | null,
): FaultRecord {
  return {
    time: new Date(), pid, program, signal: cls.signal, signalName: signalName(cls.signal),
    kind: cls.kind, message: e.message, frames: wasmFrames(e, names), address: e instanceof GuestFault ? e.address : null,
  };
}

/** Adds source file:line to the frames (module offsets) from the program's line table (Program.sourceAt). */
export function addSourceLines(r: FaultRecord, prog: { sourceAt?(offset: number): SourceLoc | null }): void {
  if (!prog.sourceAt) return;
  for (const f of r.frames) {
    const loc = prog.sourceAt(f.offset);
    if (loc) {
      f.file = loc.file;
      f.line = loc.line;
      f.column = loc.column;
    }
  }
}

/** A frame as one line: `#0 oob_read (func 9) at 0x3f4 (src/faults.c:18:10)`. */
export function formatFrame(f: FaultFrame, i: number): string {
  const where = f.file !== undefined ? ` (${f.file}:${f.line}${f.column ? `:${f.column}` : ''})` : '';
  return `#${i} ${f.name ?? `wasm-function[${f.index}]`} (func ${f.index}) at 0x${f.offset.toString(16)}${where}`;
}

/** Frame lines (formatFrame), a run of identical frames (deep recursion) shown once with a count. */
export function collapseFrames(frames: readonly FaultFrame[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < frames.length;) {
    const f = frames[i]!;
    let j = i + 1;
    while (j < frames.length && frames[j]!.index === f.index && frames[j]!.offset === f.offset) j++;
    out.push(formatFrame(f, i));
    if (j - i > 2) out.push(`... #${i + 1}-#${j - 1}: the same frame ${j - i - 1} more times`);
    else if (j - i === 2) out.push(formatFrame(frames[i + 1]!, i + 1));
    i = j;
  }
  return out;
}

/** The record as one block of text, as `isokernel run` prints it to stderr. */
export function formatFaultRecord(r: FaultRecord): string {
  const lines = [
    `isokernel: fault: pid ${r.pid}${r.tid !== undefined ? ` thread ${r.tid}` : ''} (${r.program}) killed by ${r.signalName}: ${r.kind}` +
      (r.address !== null ? ` at address 0x${r.address.toString(16)}` : ''),
    `  message: ${r.message}`,
    `  time: ${r.time.toISOString()}`,
  ];
  for (const line of collapseFrames(r.frames)) lines.push(`  ${line}`);
  if (r.core) lines.push(`  ${formatCoreOutcome(r.core)}`);
  return lines.join('\n') + '\n';
}

export function formatCoreOutcome(c: CoreOutcome): string {
  if ('error' in c) return `core not written: ${c.path}: ${c.error}`;
  return `core dumped: ${c.path} (${c.bytes} bytes${c.truncated ? ', memory truncated to the core limit' : ''})`;
}
