// `isokernel core FILE [x/FMT ADDR]...`: reads a core file (proc/core.ts, docs/core.md).
//
// Without commands it prints the fault record and its backtrace (with source file:line),
// the process (argv, cwd, environment), the globals, the open descriptors and what of
// memory the file holds. Each `x/FMT ADDR` pair examines memory as gdb's x command does:
// FMT is [COUNT][FORMAT][UNIT] in any order — formats x z d u o t c a f s, units b h w g —
// and ADDR a number (0x hex, 0 octal, decimal), `$sp` or `$NAME` of a global, with
// `+N`/`-N` offsets. Status: 0; 1 if the file cannot be read or a command fails; 2 for usage.
import fs from 'node:fs';
import { CoreFormatError, CoreMemory, readCore, type CoreFile, type CoreGlobal } from '../kernel/proc/core.ts';
import { collapseFrames, type FaultFrame } from '../kernel/proc/fault.ts';

export const CORE_USAGE = 'usage: isokernel core FILE [x/[COUNT][FORMAT][UNIT] ADDR]...';

export class ExamineError extends Error {}

export async function core(argv: readonly string[]): Promise<number> {
  const [file, ...cmds] = argv;
  if (file === undefined || file === '-h' || file === '--help') {
    (file === undefined ? process.stderr : process.stdout).write(`${CORE_USAGE}\n`);
    return file === undefined ? 2 : 0;
  }
  if (cmds.length % 2 !== 0) {
    process.stderr.write(`isokernel core: ${cmds[cmds.length - 1]}: expected x/FMT ADDR pairs\n${CORE_USAGE}\n`);
    return 2;
  }
  let c: CoreFile;
  try {
    c = readCore(fs.readFileSync(file));
  } catch (e) {
    const why = e instanceof CoreFormatError ? e.message : (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    process.stderr.write(`isokernel core: ${file}: ${why}\n`);
    return 1;
  }
  if (cmds.length === 0) {
    process.stdout.write(describeCore(c));
    return 0;
  }
  const mem = new CoreMemory(c);
  let status = 0;
  for (let i = 0; i < cmds.length; i += 2) {
    try {
      process.stdout.write(examine(mem, cmds[i]!, cmds[i + 1]!, c.header.globals));
    } catch (e) {
      if (!(e instanceof ExamineError)) throw e;
      process.stderr.write(`isokernel core: ${e.message}\n`);
      status = 1;
    }
  }
  return status;
}

/** The summary `isokernel core FILE` prints. */
export function describeCore(c: CoreFile): string {
  const h = c.header;
  const f = h.fault;
  const out: string[] = [];
  out.push(`core of pid ${h.pid} (${h.program}), killed by ${h.signalName}` +
    (f ? `: ${f.kind}${f.address !== null ? ` at address 0x${f.address.toString(16)}` : ''}` : ''));
  if (f) out.push(`  message: ${f.message}`);
  out.push(`  time: ${h.time}`);
  if (f?.tid !== undefined) out.push(`  thread: ${f.tid}`);
  out.push(`  argv: ${h.argv.map(quote).join(' ')}`);
  out.push(`  cwd: ${h.cwd}    ppid: ${h.ppid}    uid: ${h.uid}    gid: ${h.gid}`);
  out.push('', 'backtrace:');
  const frames: FaultFrame[] = f?.frames ?? [];
  if (frames.length === 0) out.push('  (none)');
  for (const line of collapseFrames(frames)) out.push(`  ${line}`);
  out.push('', 'globals:');
  if (h.globals.length === 0) out.push('  (none)');
  for (const g of h.globals) out.push(`  ${formatGlobal(g)}`);
  out.push('', 'file descriptors:');
  if (h.fds.length === 0) out.push('  (none)');
  for (const d of h.fds) {
    const mode = `${d.readable ? 'r' : '-'}${d.writable ? 'w' : '-'}`;
    out.push(`  ${String(d.fd).padStart(3)}  ${mode}  ${d.kind}${d.path !== null ? `  ${d.path}` : ''}` +
      `${d.preopen !== null ? '  (preopened)' : ''}${d.cloexec ? '  (close-on-exec)' : ''}`);
  }
  const m = h.memory;
  const pages = m.bytes / 65536;
  out.push('', `memory: ${m.bytes} bytes (${pages} page${pages === 1 ? '' : 's'}); ${m.saved} bytes saved in ${m.segments} segment${m.segments === 1 ? '' : 's'}, the rest reads as zero` +
    (m.truncated ? `; TRUNCATED at 0x${m.end.toString(16)} by the core limit (${m.limit} bytes): memory above is not in the file` : ''));
  out.push('', `environment (${h.env.length}):`);
  for (const e of h.env) out.push(`  ${e}`);
  if (h.notes.length > 0) {
    out.push('', 'notes:');
    for (const n of h.notes) out.push(`  ${n}`);
  }
  return out.join('\n') + '\n';
}

function formatGlobal(g: CoreGlobal): string {
  const idx = g.index === null ? '  ?' : String(g.index).padStart(3);
  let v = g.value ?? '(not read)';
  if (g.value !== null && (g.type === 'i32' || g.type === 'i64')) {
    const big = BigInt(g.value);
    const bits = g.type === 'i32' ? 32 : 64;
    v = `0x${BigInt.asUintN(bits, big).toString(16).padStart(bits / 4, '0')} (${g.value})`;
  }
  return `${idx}  ${(g.name ?? '').padEnd(20)}  ${g.type.padEnd(4)}  ${v}`;
}

function quote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

// ---- x/FMT ADDR ----

const UNIT_SIZE: Record<string, number> = { b: 1, h: 2, w: 4, g: 8 };
const PER_LINE: Record<number, number> = { 1: 8, 2: 8, 4: 4, 8: 2 };
/** gdb prints at most this many characters of a string (its default `print elements`). */
const STRING_MAX = 200;

/** Parses `x/NFU`: count, format, unit (size in bytes or null for the format's default). */
export function parseExamine(cmd: string): { count: number; format: string; size: number | null } {
  const m = /^x(?:\/(\d*)([a-z]*))?$/.exec(cmd);
  if (!m) throw new ExamineError(`${cmd}: expected x/[COUNT][FORMAT][UNIT], e.g. x/16x, x/s, x/4dw`);
  const count = m[1] ? Number(m[1]) : 1;
  let format = 'x';
  let size: number | null = null;
  for (const ch of m[2] ?? '') {
    if (ch in UNIT_SIZE) size = UNIT_SIZE[ch]!;
    else if ('xzduotcafs'.includes(ch)) format = ch;
    else if (ch === 'i') throw new ExamineError(`${cmd}: x/i: a core file holds no code (disassemble the program: wasm-objdump -d)`);
    else throw new ExamineError(`${cmd}: unknown format letter '${ch}' (formats x z d u o t c a f s; units b h w g)`);
  }
  if (count < 1 || count > 1 << 20) throw new ExamineError(`${cmd}: count ${count} out of range`);
  return { count, format, size };
}

/** Evaluates ADDR: a number, `$sp` / `$NAME` (a global), each term with + or - before the next. */
export function parseAddress(expr: string, globals: readonly CoreGlobal[]): number {
  const terms = expr.replace(/\s+/g, '').match(/[+-]?[^+-]+/g);
  if (!terms) throw new ExamineError(`${expr}: expected an address`);
  let sum = 0n;
  for (const t of terms) {
    const neg = t.startsWith('-');
    const body = t.replace(/^[+-]/, '');
    let v: bigint;
    if (body.startsWith('$')) {
      const name = body.slice(1);
      const g = globals.find((x) => x.name === name) ??
        (name === 'sp' ? globals.find((x) => x.name === '__stack_pointer') : undefined);
      if (!g) throw new ExamineError(`${expr}: no global named ${name} in this core${name === 'sp' ? ' (no __stack_pointer)' : ''}`);
      if (g.value === null) throw new ExamineError(`${expr}: the value of ${name} was not saved`);
      v = BigInt.asUintN(g.type === 'i64' ? 64 : 32, BigInt(g.value));
    } else if (/^0x[0-9a-f]+$/i.test(body)) v = BigInt(body);
    else if (/^0[0-7]+$/.test(body)) v = BigInt('0o' + body.slice(1));
    else if (/^\d+$/.test(body)) v = BigInt(body);
    else throw new ExamineError(`${expr}: cannot read "${body}" as an address (a number, $sp or $GLOBAL)`);
    sum += neg ? -v : v;
  }
  if (sum < 0n || sum > 0xffffffffn) throw new ExamineError(`${expr}: address out of wasm32's range`);
  return Number(sum);
}

/** gdb's output for `x/FMT ADDR` on the core's memory (one line per row, as gdb lays them out). */
export function examine(mem: CoreMemory, cmd: string, addrExpr: string, globals: readonly CoreGlobal[]): string {
  const { count, format, size: unit } = parseExamine(cmd);
  let addr = parseAddress(addrExpr, globals);
  const lines: string[] = [];
  if (format === 's') {
    for (let n = 0; n < count; n++) {
      const r = readString(mem, addr);
      if (typeof r === 'string') {
        lines.push(`0x${addr.toString(16)}:\t<error: ${r}>`);
        break;
      }
      lines.push(`0x${addr.toString(16)}:\t${r.text}`);
      addr += r.length;
    }
    return lines.join('\n') + '\n';
  }
  const size = unit ?? (format === 'c' ? 1 : format === 'f' ? 8 : format === 'a' ? 4 : 4);
  if (format === 'f' && size < 4) throw new ExamineError(`${cmd}: floats are 4 (w) or 8 (g) bytes`);
  const perLine = PER_LINE[size]!;
  for (let i = 0; i < count; i += perLine) {
    const n = Math.min(perLine, count - i);
    const at = addr + i * size;
    const bytes = mem.read(at, n * size);
    if (typeof bytes === 'string') {
      lines.push(`0x${at.toString(16)}:\t${bytes}`);
      break;
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const items: string[] = [];
    for (let k = 0; k < n; k++) items.push(formatItem(dv, k * size, size, format));
    lines.push(`0x${at.toString(16)}:\t${items.join('\t')}`);
  }
  return lines.join('\n') + '\n';
}

function formatItem(dv: DataView, at: number, size: number, format: string): string {
  const u = size === 8 ? dv.getBigUint64(at, true) : BigInt(size === 4 ? dv.getUint32(at, true) : size === 2 ? dv.getUint16(at, true) : dv.getUint8(at));
  const s = BigInt.asIntN(size * 8, u);
  switch (format) {
    case 'x': case 'z': return `0x${u.toString(16).padStart(size * 2, '0')}`;
    case 'a': return `0x${u.toString(16)}`;
    case 'd': return s.toString();
    case 'u': return u.toString();
    case 'o': return u === 0n ? '0' : `0${u.toString(8)}`;
    case 't': return u.toString(2).padStart(size * 8, '0');
    case 'c': return `${s.toString()} '${charEscape(Number(u & 0xffn))}'`;
    case 'f': return size === 4 ? String(dv.getFloat32(at, true)) : String(dv.getFloat64(at, true));
    default: throw new ExamineError(`format ${format}`);
  }
}

function charEscape(b: number): string {
  switch (b) {
    case 0x07: return '\\a';
    case 0x08: return '\\b';
    case 0x09: return '\\t';
    case 0x0a: return '\\n';
    case 0x0b: return '\\v';
    case 0x0c: return '\\f';
    case 0x0d: return '\\r';
    case 0x1b: return '\\033';
    case 0x22: return '"';
    case 0x27: return "\\'";
    case 0x5c: return '\\\\';
    default: return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`;
  }
}

/** A C string at `addr` as gdb shows it: quoted, escaped, cut at 200 characters with `...`. */
function readString(mem: CoreMemory, addr: number): { text: string; length: number } | string {
  let text = '';
  for (let i = 0; ; i++) {
    const b = mem.read(addr + i, 1);
    if (typeof b === 'string') return i === 0 ? b : { text: `"${text}"<error: ${b}>`, length: i };
    const c = b[0]!;
    if (c === 0) return { text: `"${text}"`, length: i + 1 };
    if (i === STRING_MAX) return { text: `"${text}"...`, length: i };
    text += c === 0x22 ? '\\"' : c === 0x27 ? "'" : charEscape(c);
  }
}
