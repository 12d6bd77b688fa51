// Fault records and core files (issue 5, items 1 and 2). The guests are tests/faults/src
// (rebuild with tests/faults/build.sh): faults.c is built WITH DWARF (4, and 5 in
// faults-dwarf5.wasm), and marks each faulting line `FAULT(kind)`, so the expected source line
// comes from the source itself. Where llvm-addr2line-14 / llvm-dwarfdump-14 are installed,
// the line tables are also checked against LLVM's own reading of them.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SIG } from '../src/abi/signals.ts';
import { examine, parseAddress, parseExamine } from '../src/cli/core.ts';
import { Kernel, type SpawnOptions } from '../src/kernel/kernel.ts';
import { CoreMemory, readCore, type CoreFile } from '../src/kernel/proc/core.ts';
import { LineTable } from '../src/kernel/proc/dwarf.ts';
import { formatFaultRecord, type FaultRecord } from '../src/kernel/proc/fault.ts';
import { NO_INSTRUMENT } from '../src/kernel/proc/instrument.ts';
import { moduleLayout, splitCustomSections } from '../src/kernel/proc/wasm-sections.ts';
import { procCore, procFault } from '../src/kernel/trace/channels.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const FAULTS_DIR = path.join(root, 'tests/faults');
const bin = (name: string): string => path.join(FAULTS_DIR, 'bin', `${name}.wasm`);
const SOURCE = readFileSync(path.join(FAULTS_DIR, 'src/faults.c'), 'utf8').split('\n');

/** The line of `FAULT(kind)` in faults.c (1-based). */
function markerLine(kind: string): number {
  const i = SOURCE.findIndex((l) => l.includes(`FAULT(${kind})`));
  assert.ok(i >= 0, `no FAULT(${kind}) marker`);
  return i + 1;
}

function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function run(kernel: Kernel, program: string, args: string[], extra: Partial<SpawnOptions> = {}) {
  const p = kernel.spawn({ program, args: [path.basename(program), ...args], stdio: ['null', 'capture', 'capture'], ...extra });
  const st = await p.exited;
  return { p, st, out: p.output(1).toString(), err: p.output(2).toString() };
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'src/cli/main.ts'), ...args], (err, stdout, stderr) => {
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** Each trap kind: the signal, the record's kind, the function that faults, the address if known. */
const KINDS: { arg: string; signal: number; kind: string; fn: string; address?: number; message: RegExp }[] = [
  { arg: 'oob-read', signal: SIG.SEGV, kind: 'out-of-bounds memory access', fn: 'oob_read', message: /out of bounds/ },
  { arg: 'oob-write', signal: SIG.SEGV, kind: 'out-of-bounds memory access', fn: 'oob_write', message: /out of bounds/ },
  { arg: 'null-read', signal: SIG.SEGV, kind: 'null pointer dereference', fn: 'null_read', address: 24, message: /read of address 0x18/ },
  { arg: 'null-write', signal: SIG.SEGV, kind: 'null pointer dereference', fn: 'null_write', address: 12, message: /write to address 0xc/ },
  { arg: 'unreachable', signal: SIG.ILL, kind: 'unreachable executed', fn: 'unreachable', message: /unreachable/ },
  { arg: 'call-null', signal: SIG.ILL, kind: 'bad indirect call', fn: 'call_null', message: /signature mismatch|null function/ },
  { arg: 'call-oob', signal: SIG.ILL, kind: 'bad indirect call', fn: 'call_oob', message: /table index is out of bounds/ },
  { arg: 'call-sig', signal: SIG.ILL, kind: 'bad indirect call', fn: 'call_sig', message: /signature mismatch/ },
  { arg: 'div0', signal: SIG.FPE, kind: 'integer divide by zero', fn: 'div0', message: /divide by zero/ },
  { arg: 'rem0', signal: SIG.FPE, kind: 'integer divide by zero', fn: 'rem0', message: /remainder by zero/ },
  { arg: 'overflow', signal: SIG.FPE, kind: 'integer overflow', fn: 'overflow', message: /divide result unrepresentable/ },
  { arg: 'convert', signal: SIG.FPE, kind: 'invalid conversion to integer', fn: 'convert', message: /float unrepresentable/ },
  { arg: 'stack', signal: SIG.SEGV, kind: 'stack overflow', fn: 'recurse', message: /stack/ },
];

/** The frame that carries the marked line: the faulting one, or for a stack overflow the recursive call. */
function markedFrame(r: FaultRecord, arg: string) {
  return arg === 'stack' ? r.frames.find((f) => f.line === markerLine('stack')) : r.frames[0];
}

describe('fault records', () => {
  let kernel: Kernel;
  before(async () => {
    kernel = await Kernel.boot({});
  });
  after(async () => {
    await kernel.shutdown();
  });

  for (const k of KINDS) {
    it(`fault-${k.arg}: ${k.kind} is signal ${k.signal} with src/faults.c:${markerLine(k.arg)}`, async () => {
      const { p, st } = await run(kernel, bin('faults'), [k.arg]);
      assert.equal(st.signal, k.signal);
      assert.equal(st.status, 128 + k.signal);
      const r = p.fault!;
      assert.ok(r, 'a fault record');
      assert.equal(r.signal, k.signal);
      assert.equal(r.kind, k.kind);
      assert.match(r.message, k.message);
      assert.equal(r.pid, p.pid);
      assert.ok(r.time instanceof Date);
      assert.equal(r.frames[0]?.name, k.fn);
      const f = markedFrame(r, k.arg);
      assert.ok(f, `a frame at the marked line: ${formatFaultRecord(r)}`);
      assert.equal(f.file, 'src/faults.c');
      assert.equal(f.line, markerLine(k.arg), formatFaultRecord(r));
      assert.ok(f.column! > 0);
      if (k.address !== undefined) assert.equal(r.address, k.address);
      else if (k.arg !== 'stack') assert.equal(r.address, null); // V8 does not say
      // main's frame: the call in main's if-chain, in the same file.
      if (k.arg !== 'stack') {
        const main = r.frames.find((x) => x.name === 'main');
        assert.equal(main?.file, 'src/faults.c');
        assert.match(SOURCE[main!.line! - 1]!, new RegExp(`${k.fn}\\(`));
      }
    });
  }

  it('fault-dwarf5: a DWARF 5 line table gives the same lines', async () => {
    for (const arg of ['oob-write', 'null-write', 'div0', 'call-sig']) {
      const { p } = await run(kernel, bin('faults-dwarf5'), [arg]);
      assert.equal(p.fault?.frames[0]?.file, 'src/faults.c');
      assert.equal(p.fault?.frames[0]?.line, markerLine(arg), arg);
    }
  });

  it('fault-uninstrumented: the same frames and lines without the rewriter (offsets translated back)', async () => {
    for (const arg of ['oob-write', 'div0', 'call-oob']) {
      const on = await run(kernel, bin('faults'), [arg]);
      const off = await run(kernel, bin('faults'), [arg], { protect: NO_INSTRUMENT });
      assert.deepEqual(off.p.fault?.frames, on.p.fault?.frames, arg);
    }
  });

  it('fault-libc: frames in wasi-libc carry its own DWARF lines', async () => {
    const { p } = await run(kernel, bin('faults'), ['div0']);
    const start = p.fault!.frames.find((f) => f.name === '_start');
    assert.match(start?.file ?? '', /crt1-command\.c$/);
  });

  it('fault-addr2line: every frame line agrees with llvm-addr2line-14 (code offset = module offset - code section payload)', { skip: !hasTool('llvm-addr2line-14') && 'llvm-addr2line-14 not installed' }, async () => {
    const layout = moduleLayout(splitCustomSections(readFileSync(bin('faults'))).code)!;
    for (const arg of ['oob-read', 'null-write', 'call-null', 'overflow', 'convert']) {
      const { p } = await run(kernel, bin('faults'), [arg]);
      const frames = p.fault!.frames;
      const out = execFileSync('llvm-addr2line-14', ['-e', bin('faults'), ...frames.map((f) => `0x${(f.offset - layout.codeOffset).toString(16)}`)])
        .toString().trim().split('\n');
      frames.forEach((f, i) => {
        if (f.file === undefined) assert.equal(out[i], '??:0', `${arg} #${i}`);
        else assert.ok(out[i]!.endsWith(`${f.file}:${f.line}`), `${arg} #${i}: ${out[i]} vs ${f.file}:${f.line}`);
      });
    }
  });

  it('fault-record-text: the printed record has the time and file:line:column', async () => {
    const { p } = await run(kernel, bin('faults'), ['null-write']);
    const text = formatFaultRecord(p.fault!);
    assert.match(text, /killed by SIGSEGV: null pointer dereference at address 0xc\n/);
    assert.match(text, /\n {2}time: \d{4}-\d\d-\d\dT/);
    assert.match(text, new RegExp(`#0 null_write \\(func \\d+\\) at 0x[0-9a-f]+ \\(src/faults\\.c:${markerLine('null-write')}:\\d+\\)`));
  });

  it('fault-stack-collapse: a deep recursion prints its repeated frame once', async () => {
    const { p } = await run(kernel, bin('faults'), ['stack']);
    const text = formatFaultRecord(p.fault!);
    assert.match(text, /\.\.\. #2-#\d+: the same frame \d+ more times/);
    assert.ok(text.split('\n').length < 12, text);
  });

  it('fault-parent: a guest parent sees its child killed by the signal; only the child dies', async () => {
    const k = await Kernel.boot({ mounts: [{ path: '/tmp', fs: { type: 'hostfs', host: path.join(FAULTS_DIR, 'bin'), readOnly: true } }] });
    const records: FaultRecord[] = [];
    const onFault = (r: unknown): void => void records.push(r as FaultRecord);
    procFault.subscribe(onFault);
    try {
      for (const [arg, sig] of [['div0', 8], ['null-read', 11], ['call-oob', 4]] as const) {
        const { st, out } = await run(k, bin('parent'), ['/tmp/faults.wasm', arg]);
        assert.equal(st.code, 0);
        assert.equal(out, `killed by signal ${sig}\n`);
      }
      assert.equal(records.length, 3);
      assert.deepEqual(records.map((r) => r.program), ['/tmp/faults.wasm', '/tmp/faults.wasm', '/tmp/faults.wasm']);
      assert.equal(records[0]!.frames[0]!.line, markerLine('div0'));
    } finally {
      procFault.unsubscribe(onFault);
      await k.shutdown();
    }
  });

  it('fault-cli: isokernel run prints file:line in the backtrace', async () => {
    const r = await cli(['run', bin('faults'), 'overflow']);
    assert.equal(r.code, 136);
    assert.match(r.stderr, /killed by SIGFPE: integer overflow/);
    assert.match(r.stderr, new RegExp(`#0 overflow \\(func \\d+\\) at 0x[0-9a-f]+ \\(src/faults\\.c:${markerLine('overflow')}:\\d+\\)`));
  });
});

describe('the README demonstration (examples/crash)', () => {
  const crash = path.join(root, 'examples/crash/crash.wasm');
  const crashSource = readFileSync(path.join(root, 'examples/crash/crash.c'), 'utf8').split('\n');
  const lineOf = (text: string): number => crashSource.findIndex((l) => l.includes(text)) + 1;

  it('crash-example: inside corrupts the neighbour silently; wild and null are SIGSEGV at their lines; neighbours leaves the parent intact', async () => {
    const kernel = await Kernel.boot({ mounts: [{ path: '/tmp', fs: { type: 'hostfs', host: path.dirname(crash), readOnly: true } }] });
    try {
      const inside = await run(kernel, crash, ['inside']);
      assert.equal(inside.st.code, 0);
      assert.match(inside.out, /^before: .*overdraft refused\nafter : .*overdraft allowed\n$/);
      const wild = await run(kernel, crash, ['wild']);
      assert.equal(wild.st.signal, SIG.SEGV);
      assert.equal(wild.p.fault?.kind, 'out-of-bounds memory access');
      assert.deepEqual([wild.p.fault?.frames[0]?.file, wild.p.fault?.frames[0]?.line], ['crash.c', lineOf('bank.accounts[i].balance += amount')]);
      const nul = await run(kernel, crash, ['null']);
      assert.equal(nul.p.fault?.kind, 'null pointer dereference');
      assert.equal(nul.p.fault?.address, 8);
      assert.equal(nul.p.fault?.frames[0]?.line, lineOf('find(name)->balance'));
      // The parent spawns its child by its path inside the kernel (argv[0]).
      const target = await kernel.findProgram('/tmp/crash.wasm', ['/tmp/crash.wasm', 'neighbours']);
      const n = kernel.spawn({ program: target.program, args: target.argv, stdio: ['null', 'capture', 'capture'] });
      const st = await n.exited;
      const lines = n.output(1).toString().split('\n');
      assert.equal(st.code, 0, n.output(2).toString() + (n.error?.message ?? ''));
      assert.equal(lines[0], lines[3]); // the parent's bank before and after
      assert.match(lines[1]!, /^child : .*1515870810/);
      assert.match(lines[2]!, /^parent: child \d+ was killed by signal 11/);
    } finally {
      await kernel.shutdown();
    }
  });
});

describe('DWARF line tables', () => {
  it('dwarf-handmade: special opcodes, advance_pc, const_add_pc, fixed_advance_pc; dead sequences ignored', () => {
    // A DWARF 4 unit: files a.c (dir 0) and inc/b.h (dir 1).
    const body: number[] = [];
    const u8 = (...b: number[]) => body.push(...b);
    const setAddress = (a: number) => u8(0, 5, 2, a & 0xff, (a >> 8) & 0xff, (a >> 16) & 0xff, (a >>> 24) & 0xff);
    const endSeq = () => u8(0, 1, 1);
    // Sequence 1 at 0x100: line 1 at 0x100; special opcode: +2 addr, +1 line → 0x102 line 2;
    // advance_pc 10 → 0x10c, advance_line +5 → 7, copy; set_file 2, set_column 3, const_add_pc
    // (+17 with opcode_base 13, line_range 14) → 0x11d, copy; fixed_advance_pc 0x20 → 0x13d, copy; end at 0x140.
    setAddress(0x100); u8(1); // copy: 0x100 line 1
    u8(13 + (1 - -5) + 14 * 2); // special: address += 2, line += 1
    u8(2, 10, 3, 5, 1); // advance_pc 10, advance_line 5, copy
    u8(4, 2, 5, 3, 8, 1); // set_file 2, set_column 3, const_add_pc, copy
    u8(9, 0x20, 0, 1); // fixed_advance_pc 0x20, copy
    u8(2, 3); endSeq();
    // Sequence 2: a dropped function at the tombstone: ignored.
    setAddress(0xffffffff); u8(1); u8(2, 4); endSeq();
    const header: number[] = [
      1, 1, 1, 0xfb, 14, 13, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, // min_inst, max_ops, default_is_stmt, line_base -5, line_range, opcode_base, lengths
      ...Buffer.from('inc\0'), 0,
      ...Buffer.from('a.c\0'), 0, 0, 0,
      ...Buffer.from('b.h\0'), 1, 0, 0,
      0,
    ];
    const unit = [4, 0, ...le32(header.length), ...header, ...body];
    const t = LineTable.parse(Uint8Array.from([...le32(unit.length), ...unit]));
    assert.deepEqual(t.errors, []);
    assert.equal(t.lookup(0xff), null);
    assert.deepEqual(t.lookup(0x100), { file: 'a.c', line: 1, column: 0 });
    assert.deepEqual(t.lookup(0x101), { file: 'a.c', line: 1, column: 0 });
    assert.deepEqual(t.lookup(0x102), { file: 'a.c', line: 2, column: 0 });
    assert.deepEqual(t.lookup(0x10c), { file: 'a.c', line: 7, column: 0 });
    assert.deepEqual(t.lookup(0x11d), { file: 'inc/b.h', line: 7, column: 3 });
    assert.deepEqual(t.lookup(0x13d), { file: 'inc/b.h', line: 7, column: 3 });
    assert.equal(t.lookup(0x13f)?.line, 7);
    assert.equal(t.lookup(0x140), null); // end of the sequence
    assert.equal(t.lookup(0xffffffff), null);
    // A unit that cannot be read is skipped; the next one is still read; garbage at the end is noted.
    const bad = [9, 0, 0, 0, 0, 0];
    const t2 = LineTable.parse(Uint8Array.from([...le32(bad.length), ...bad, ...le32(unit.length), ...unit, 0xff, 0xff, 0xff, 0xff]));
    assert.equal(t2.errors.length, 2, t2.errors.join('; '));
    assert.match(t2.errors[0]!, /version 9/);
    assert.deepEqual(t2.lookup(0x11d), { file: 'inc/b.h', line: 7, column: 3 });
  });

  for (const name of ['faults', 'faults-dwarf5']) {
    it(`dwarf-llvm-${name}: every row as llvm-dwarfdump-14 reads it`, { skip: !hasTool('llvm-dwarfdump-14') && 'llvm-dwarfdump-14 not installed' }, () => {
      const { custom } = splitCustomSections(readFileSync(bin(name)));
      const t = LineTable.parse(custom.get('.debug_line')!, { lineStr: custom.get('.debug_line_str'), str: custom.get('.debug_str') });
      assert.deepEqual(t.errors, []);
      const dump = execFileSync('llvm-dwarfdump-14', ['--debug-line', bin(name)], { maxBuffer: 1 << 28 }).toString();
      const want = new Map<number, [number, number]>();
      for (const line of dump.split('\n')) {
        const m = /^0x([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s*(.*)$/.exec(line);
        if (m && !m[4]!.includes('end_sequence')) want.set(parseInt(m[1]!, 16), [Number(m[2]), Number(m[3])]);
      }
      assert.ok(want.size > 1000);
      for (const [addr, [line, column]] of want) {
        const got = t.lookup(addr);
        assert.deepEqual(got && [got.line, got.column], [line, column], `0x${addr.toString(16)}`);
      }
    });
  }
});

function le32(n: number): number[] {
  return [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
}

describe('core files', () => {
  let dir: string;
  let kernel: Kernel;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'isokernel-core-'));
    kernel = await Kernel.boot({ coreDir: dir });
  });
  after(async () => {
    await kernel.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  const coreOf = (pid: number): CoreFile => readCore(readFileSync(path.join(dir, `core.faults.${pid}`)));

  it('core-off: no core file at the default limit (0), nor without a core directory', async () => {
    const { p } = await run(kernel, bin('faults'), ['div0']);
    assert.equal(p.fault?.core, undefined);
    const k = await Kernel.boot({});
    try {
      const r = await run(k, bin('faults'), ['div0'], { limits: { coreBytes: Infinity } });
      assert.equal(r.p.fault?.core, undefined);
    } finally {
      await k.shutdown();
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  it('core-write: the fault record, backtrace with lines, globals, fds, argv, env and memory', async () => {
    const { p, st, out } = await run(kernel, bin('faults'), ['core'], { limits: { coreBytes: Infinity }, env: { GREETING: 'hi there' } });
    assert.equal(st.signal, SIG.SEGV);
    const file = path.join(dir, `core.faults.${p.pid}`);
    assert.deepEqual(p.fault?.core, { path: file, bytes: statSync(file).size, truncated: false });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const bytes = readFileSync(file);
    assert.ok(WebAssembly.validate(bytes), 'a valid wasm binary, as Coredump.md has it');
    const c = readCore(bytes);
    const h = c.header;
    assert.equal(h.pid, p.pid);
    assert.equal(h.signal, SIG.SEGV);
    assert.equal(h.signalName, 'SIGSEGV');
    assert.deepEqual(h.argv, ['faults.wasm', 'core']);
    assert.deepEqual(h.env, ['GREETING=hi there']);
    assert.equal(h.cwd, '/');
    assert.equal(h.fault?.kind, 'null pointer dereference');
    assert.equal(h.fault?.address, 12);
    assert.equal(h.fault?.frames[0]?.line, markerLine('null-write'));
    assert.equal(h.fault?.frames[1]?.name, 'core_pattern');
    assert.equal(c.executable, p.program);
    assert.equal(c.stack?.thread, 'main');
    assert.deepEqual(c.stack?.frames.map(([f]) => f), h.fault?.frames.map((f) => f.index));
    assert.ok(c.stack!.frames.every(([, off]) => off > 0), 'code offsets within their functions');
    const sp = h.globals.find((g) => g.name === '__stack_pointer');
    assert.equal(sp?.type, 'i32');
    assert.ok(Number(sp?.value) > 0 && Number(sp?.value) < h.memory.bytes);
    assert.deepEqual(h.fds.map((d) => [d.fd, d.kind]), [[0, 'character device'], [1, 'captured output'], [2, 'captured output'], [3, 'directory']]);
    assert.equal(h.fds[0]?.path, '/dev/null');
    assert.equal(h.fds[3]?.path, '/');
    assert.equal(h.memory.truncated, false);
    assert.equal(c.memoryBytes, h.memory.bytes);
    assert.ok(h.memory.saved < h.memory.bytes, 'zero chunks are left out');
    // The bytes the program wrote, at the addresses it printed.
    const m = /message (0x[0-9a-f]+) numbers (0x[0-9a-f]+)/.exec(out)!;
    const mem = new CoreMemory(c);
    assert.equal(Buffer.from(mem.read(Number(m[1]), 24) as Uint8Array).toString(), 'hello from the core\n\tend');
    assert.equal(examine(mem, 'x/s', m[1]!, h.globals), `${m[1]}:\t"hello from the core\\n\\tend"\n`);
    assert.equal(examine(mem, 'x/4dw', m[2]!, h.globals), `${m[2]}:\t1\t-2\t300000\t2147483647\n`);
    assert.equal(examine(mem, 'x/4xw', m[2]!, h.globals), `${m[2]}:\t0x00000001\t0xfffffffe\t0x000493e0\t0x7fffffff\n`);
    assert.equal(examine(mem, 'x/2c', m[1]!, h.globals), `${m[1]}:\t104 'h'\t101 'e'\n`);
  });

  it('core-globals: every global of a rewritten module, of each number type, by name', async () => {
    const { p, st } = await run(kernel, bin('globals'), [], { limits: { coreBytes: Infinity } });
    assert.equal(st.signal, SIG.ILL);
    const c = readCore(readFileSync(path.join(dir, `core.globals.${p.pid}`)));
    assert.deepEqual(c.header.globals.map((g) => [g.index, g.name, g.type, g.value]), [
      [0, '__stack_pointer', 'i32', '61440'], [1, 'counter', 'i64', '-5000000000'], [2, 'ratio', 'f64', '2.5'],
      [3, 'small', 'f32', '-0.75'], [4, 'answer', 'i32', '42'],
    ]);
    assert.deepEqual(c.header.notes, []);
    const mem = new CoreMemory(c);
    assert.equal(examine(mem, 'x/xw', '$sp', c.header.globals), '0xf000:\t0x12345678\n');
    assert.equal(examine(mem, 'x/4xb', '$__stack_pointer', c.header.globals), '0xf000:\t0x78\t0x56\t0x34\t0x12\n');
  });

  it('core-truncate: memory beyond the limit is cut, and the header says so', async () => {
    const full = await run(kernel, bin('faults'), ['core'], { limits: { coreBytes: Infinity } });
    const whole = coreOf(full.p.pid);
    const limit = statSync(path.join(dir, `core.faults.${full.p.pid}`)).size - 3000;
    const { p } = await run(kernel, bin('faults'), ['core'], { limits: { coreBytes: limit } });
    const file = path.join(dir, `core.faults.${p.pid}`);
    assert.ok(statSync(file).size <= limit, `${statSync(file).size} > ${limit}`);
    assert.equal((p.fault?.core as { truncated: boolean }).truncated, true);
    const c = coreOf(p.pid);
    assert.equal(c.header.memory.truncated, true);
    assert.equal(c.header.memory.limit, limit);
    assert.ok(c.header.memory.end < whole.header.memory.end);
    const mem = new CoreMemory(c);
    assert.match(mem.read(c.header.memory.end, 4) as string, /not in the core file \(memory was truncated/);
    assert.match(examine(mem, 'x/x', `${c.header.memory.end}`, []), /Cannot access memory at address 0x[0-9a-f]+: not in the core file/);
    // What was saved below the cut is what the complete core has.
    const wholeMem = new CoreMemory(whole);
    const n = Math.min(c.header.memory.end, 65536);
    assert.deepEqual(mem.read(0, n), wholeMem.read(0, n));
  });

  it('core-too-small: a limit below the process state writes nothing and says why', async () => {
    const { p, st } = await run(kernel, bin('faults'), ['div0'], { limits: { coreBytes: 100 } });
    assert.equal(st.signal, SIG.FPE);
    assert.match((p.fault?.core as { error: string }).error, /below the size of the process state/);
    assert.equal(existsSync(path.join(dir, `core.faults.${p.pid}`)), false);
  });

  it('core-signal: a core-dumping signal from kill writes a core without a backtrace', async () => {
    const events: unknown[] = [];
    const onCore = (e: unknown): void => void events.push(e);
    procCore.subscribe(onCore);
    try {
      const p = kernel.spawn({
        program: bin('faults'), args: ['faults', 'sleep'], stdio: ['null', 'capture', 'capture'], limits: { coreBytes: Infinity },
      });
      while (p.output(1).length === 0) await new Promise((r) => setTimeout(r, 5));
      kernel.kill(p.pid, SIG.QUIT); // asleep in a blocking call: it dies there
      const st = await p.exited;
      assert.equal(st.signal, SIG.QUIT);
      const c = coreOf(p.pid);
      assert.equal(c.header.fault, null);
      assert.equal(c.header.signalName, 'SIGQUIT');
      assert.ok(c.header.notes.some((n) => /backtrace: none/.test(n)));
      assert.deepEqual(events.map((e) => (e as { pid: number }).pid), [p.pid]);
    } finally {
      procCore.unsubscribe(onCore);
    }
  });

  it('core-async: a 64 MiB core is written without holding the event loop', async () => {
    let worst = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 2);
    try {
      const t0 = performance.now();
      const { p, out } = await run(kernel, bin('faults'), ['big', '64'], { limits: { coreBytes: Infinity } });
      assert.match(out, /^big 0x[0-9a-f]+ 67108864/);
      const c = coreOf(p.pid);
      assert.ok(c.header.memory.saved >= 64 << 20, `${c.header.memory.saved}`);
      const addr = Number(/big (0x[0-9a-f]+)/.exec(out)![1]);
      const mem = new CoreMemory(c);
      const b = mem.read(addr + 1000, 4) as Uint8Array;
      assert.deepEqual([...b], [1000, 1001, 1002, 1003].map((i) => ((i * 131 + 7) & 0xff) | 1));
      // The dirtying loop runs in the guest (up to a tick between preemptions); the dump must not add long stalls.
      assert.ok(worst < 250, `event loop held ${worst.toFixed(0)} ms (run took ${(performance.now() - t0).toFixed(0)} ms)`);
    } finally {
      clearInterval(timer);
    }
  });

  it('core-cli: isokernel run --core-dir, then isokernel core FILE and x commands', async () => {
    const cdir = mkdtempSync(path.join(os.tmpdir(), 'isokernel-core-cli-'));
    try {
      const r = await cli(['run', '--core-dir', cdir, bin('faults'), 'core']);
      assert.equal(r.code, 139);
      const file = path.join(cdir, 'core.faults.1');
      assert.match(r.stderr, new RegExp(`core dumped: ${file.replace(/[.]/g, '\\.')} \\(\\d+ bytes\\)`));
      const info = await cli(['core', file]);
      assert.equal(info.code, 0, info.stderr);
      assert.match(info.stdout, /^core of pid 1 \(.*faults\.wasm\), killed by SIGSEGV: null pointer dereference at address 0xc\n/);
      assert.match(info.stdout, new RegExp(`#0 null_write \\(func \\d+\\) at 0x[0-9a-f]+ \\(src/faults\\.c:${markerLine('null-write')}:\\d+\\)`));
      assert.match(info.stdout, /argv: .*faults\.wasm core\n/);
      assert.match(info.stdout, /\n {4}0 {2}__stack_pointer +i32 +0x[0-9a-f]{8} \(\d+\)\n/);
      assert.match(info.stdout, /file descriptors:\n {4}0 {2}r- {2}host fd 0/);
      const addr = /message (0x[0-9a-f]+)/.exec(r.stdout)![1]!;
      const x = await cli(['core', file, 'x/s', addr, 'x/8xb', addr, 'x/2dw', '$sp']);
      assert.equal(x.code, 0, x.stderr);
      const lines = x.stdout.split('\n');
      assert.equal(lines[0], `${addr}:\t"hello from the core\\n\\tend"`);
      assert.equal(lines[1], `${addr}:\t0x68\t0x65\t0x6c\t0x6c\t0x6f\t0x20\t0x66\t0x72`);
      assert.match(lines[2]!, /^0x[0-9a-f]+:\t-?\d+\t-?\d+$/);
      const bad = await cli(['core', file, 'x/i', addr]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /holds no code/);
      const none = await cli(['core', path.join(cdir, 'nope')]);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /no such file/);
      const notCore = await cli(['core', bin('faults')]);
      assert.equal(notCore.code, 1);
      assert.match(notCore.stderr, /not an isokernel core file/);
    } finally {
      rmSync(cdir, { recursive: true, force: true });
    }
  });
});

describe('x command (gdb subset)', () => {
  it('x-parse: count, format and unit in any order; addresses with $globals and offsets', () => {
    assert.deepEqual(parseExamine('x'), { count: 1, format: 'x', size: null });
    assert.deepEqual(parseExamine('x/16x'), { count: 16, format: 'x', size: null });
    assert.deepEqual(parseExamine('x/4dw'), { count: 4, format: 'd', size: 4 });
    assert.deepEqual(parseExamine('x/2gx'), { count: 2, format: 'x', size: 8 });
    assert.deepEqual(parseExamine('x/s'), { count: 1, format: 's', size: null });
    assert.throws(() => parseExamine('x/4q'), /unknown format letter/);
    assert.throws(() => parseExamine('p/x'), /expected x\//);
    const globals = [{ index: 0, name: '__stack_pointer', type: 'i32' as const, value: '-16' }];
    assert.equal(parseAddress('0x10', globals), 16);
    assert.equal(parseAddress('010', globals), 8);
    assert.equal(parseAddress('$sp', globals), 0xfffffff0);
    assert.equal(parseAddress('$__stack_pointer-0x10', globals), 0xffffffe0);
    assert.throws(() => parseAddress('$nope', globals), /no global named nope/);
    assert.throws(() => parseAddress('main', globals), /cannot read/);
  });
});
