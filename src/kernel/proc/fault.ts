// Fault records: what the kernel logs when a trap kills a process (DESIGN.md C2). A trap
// is V8's WebAssembly.RuntimeError (or RangeError for stack exhaustion) thrown out of the
// guest's frames; it is mapped to the signal a Unix process would have received, and its
// wasm frames are read from the error's stack, named from the module's name section.
import { SIG, signalName } from '../../abi/signals.ts';

export interface FaultFrame {
  /** Function index in the module's function index space. */
  index: number;
  /** Name from the name section (or V8's), if any. */
  name: string | null;
  /** Byte offset of the faulting instruction in the module. */
  offset: number;
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
  /** The faulting address, where known (the null-page guard reports it). */
  address: number | null;
  /** In a threaded process, the thread that trapped (0 = the main thread). */
  tid?: number;
}

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
  if (m.includes('integer overflow')) return { signal: SIG.FPE, kind: 'integer overflow' };
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

/** The record as one block of text, as `isokernel run` prints it to stderr. */
export function formatFaultRecord(r: FaultRecord): string {
  const lines = [
    `isokernel: fault: pid ${r.pid}${r.tid !== undefined ? ` thread ${r.tid}` : ''} (${r.program}) killed by ${r.signalName}: ${r.kind}` +
      (r.address !== null ? ` at address 0x${r.address.toString(16)}` : ''),
    `  message: ${r.message}`,
  ];
  r.frames.forEach((f, i) => {
    lines.push(`  #${i} ${f.name ?? `wasm-function[${f.index}]`} (func ${f.index}) at 0x${f.offset.toString(16)}`);
  });
  return lines.join('\n') + '\n';
}
