// Source lines for fault records: a reader of DWARF's line tables (.debug_line), versions
// 2 to 5, as clang emits them for wasm (clang-14: DWARF 4 by default, 5 with -gdwarf-5;
// wasi-libc's objects bring their own DWARF 4 tables into the same section).
//
// Addresses. In wasm DWARF (https://yurydelendik.github.io/webassembly-dwarf/) a code
// address is a byte offset from the start of the code section's *payload* — the byte after
// the section id and its size — which is where the function count is. V8's stack frames give
// byte offsets from the start of the module; so a frame's DWARF address is its module offset
// minus the payload's offset (`codeOffset`, found by the loader: wasm-sections.ts). The
// frame of the faulting function points at the trapping instruction itself, the others at
// their call instruction; neither is a return address, so no "minus one" is needed.
//
// Not read: .debug_info (so no inlined-function chains and no DW_AT_comp_dir: a file in
// the compilation directory is shown relative to it, as the compiler was given it).
// Sequences of functions the linker dropped (moved to address 0 or to a tombstone near
// 2^32 by wasm-ld) are ignored.
import posix from 'node:path/posix';
import { Reader } from './wasm-binary.ts';

export interface SourceLoc {
  file: string;
  line: number;
  /** 0 when the compiler gave none. */
  column: number;
}

/** The strings a DWARF 5 line header may point into. */
export interface DwarfStrings {
  /** .debug_line_str (DW_FORM_line_strp). */
  lineStr?: Uint8Array;
  /** .debug_str (DW_FORM_strp). */
  str?: Uint8Array;
}

const DW_LNS_copy = 1, DW_LNS_advance_pc = 2, DW_LNS_advance_line = 3, DW_LNS_set_file = 4, DW_LNS_set_column = 5,
  DW_LNS_negate_stmt = 6, DW_LNS_set_basic_block = 7, DW_LNS_const_add_pc = 8, DW_LNS_fixed_advance_pc = 9;
const DW_LNE_end_sequence = 1, DW_LNE_set_address = 2, DW_LNE_define_file = 3;
const DW_LNCT_path = 1, DW_LNCT_directory_index = 2;
const DW_FORM = {
  block: 0x09, block1: 0x0a, block2: 0x03, block4: 0x04, data1: 0x0b, data2: 0x05, data4: 0x06, data8: 0x07,
  data16: 0x1e, string: 0x08, strp: 0x0e, line_strp: 0x1f, udata: 0x0f, sdata: 0x0d, strx: 0x1a, strx1: 0x25,
  strx2: 0x26, strx3: 0x27, strx4: 0x28,
} as const;

export class DwarfError extends Error {}

/** The shared reader (LEB128s, bounds), with DWARF's fixed-size little-endian numbers and C strings. */
class Cursor extends Reader {
  protected override fail(what: string): never {
    throw new DwarfError(what);
  }
  need(n: number): void {
    if (this.pos + n > this.end) this.fail(`truncated at 0x${this.pos.toString(16)}`);
  }
  u8(): number {
    return this.byte();
  }
  u16(): number {
    this.need(2);
    const v = this.b[this.pos]! | (this.b[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const b = this.b, p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
  }
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    return hi * 2 ** 32 + lo;
  }
  /** An address or offset of `size` bytes (1, 2, 4 or 8). */
  uN(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 4: return this.u32();
      case 8: return this.u64();
      default: throw new DwarfError(`unsupported size ${size}`);
    }
  }
  cstr(): string {
    const start = this.pos;
    while (this.pos < this.end && this.b[this.pos] !== 0) this.pos++;
    if (this.pos >= this.end) throw new DwarfError('unterminated string');
    return DEC.decode(this.b.subarray(start, this.pos++));
  }
}

const DEC = new TextDecoder();

function strAt(section: Uint8Array | undefined, offset: number, what: string): string {
  if (!section || offset >= section.length) throw new DwarfError(`${what} offset 0x${offset.toString(16)} outside the section`);
  let end = offset;
  while (end < section.length && section[end] !== 0) end++;
  return DEC.decode(section.subarray(offset, end));
}

/** One sequence: rows in address order, [start, end) covered. */
interface Sequence {
  start: number;
  end: number;
  /** Index of its first row in the table's arrays, and its row count. */
  first: number;
  count: number;
}

/** The line tables of a module: address → file, line, column. */
export class LineTable {
  private readonly files: string[] = [];
  private readonly fileIds = new Map<string, number>();
  private addr: number[] = [];
  private line: number[] = [];
  private col: number[] = [];
  private file: number[] = [];
  private seqs: Sequence[] = [];
  /** Units that could not be read (the rest are used). */
  readonly errors: string[] = [];

  /**
   * Reads every line program in a .debug_line payload. A unit that cannot be read is noted
   * in `errors` and skipped (its rows so far are dropped); a unit length that cannot be
   * read ends the section.
   */
  static parse(debugLine: Uint8Array, strings: DwarfStrings = {}): LineTable {
    const t = new LineTable();
    let pos = 0;
    while (pos + 4 <= debugLine.length) {
      const c = new Cursor(debugLine, pos, debugLine.length);
      let length = c.u32();
      let offsetSize = 4;
      if (length === 0xffffffff && pos + 12 <= debugLine.length) {
        length = c.u64();
        offsetSize = 8;
      }
      const end = c.pos + length;
      if (length >= 0xfffffff0 && offsetSize === 4 || end > debugLine.length) {
        t.errors.push(`unit at 0x${pos.toString(16)}: bad unit length 0x${length.toString(16)}`);
        break;
      }
      const rows = t.addr.length, seqs = t.seqs.length;
      try {
        t.unit(debugLine, c.pos, end, offsetSize, strings);
      } catch (e) {
        t.errors.push(`unit at 0x${pos.toString(16)}: ${(e as Error).message}`);
        t.addr.length = t.line.length = t.col.length = t.file.length = rows;
        t.seqs.length = seqs;
      }
      pos = end;
    }
    t.seqs.sort((a, b) => a.start - b.start);
    return t;
  }

  /** Number of rows read (for tests). */
  get rows(): number {
    return this.addr.length;
  }

  /** The source position of code address `address` (relative to the code section's payload). */
  lookup(address: number): SourceLoc | null {
    const seqs = this.seqs;
    let lo = 0, hi = seqs.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (seqs[mid]!.start <= address) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Sequences do not overlap in a linked module; look back a little in case they do.
    for (let i = found; i >= 0 && i > found - 4; i--) {
      const s = seqs[i]!;
      if (address < s.start || address >= s.end) continue;
      let a = s.first, b = s.first + s.count - 1, row = -1;
      while (a <= b) {
        const mid = (a + b) >> 1;
        if (this.addr[mid]! <= address) {
          row = mid;
          a = mid + 1;
        } else b = mid - 1;
      }
      if (row < 0) continue;
      // Several rows may share an address: the last one describes it (as llvm-addr2line does).
      return { file: this.files[this.file[row]!] ?? '??', line: this.line[row]!, column: this.col[row]! };
    }
    return null;
  }

  private fileId(path: string): number {
    let id = this.fileIds.get(path);
    if (id === undefined) {
      id = this.files.length;
      this.files.push(path);
      this.fileIds.set(path, id);
    }
    return id;
  }

  /** Reads the unit whose contents (after its length) are [start, end). */
  private unit(b: Uint8Array, start: number, end: number, offsetSize: number, strings: DwarfStrings): void {
    const u = new Cursor(b, start, end);
    const version = u.u16();
    if (version < 2 || version > 5) throw new DwarfError(`version ${version}`);
    let addressSize = 4;
    if (version >= 5) {
      addressSize = u.u8();
      u.u8(); // segment selector size
    }
    const headerLength = u.uN(offsetSize);
    const programStart = u.pos + headerLength;
    const minInst = u.u8();
    if (version >= 4) u.u8(); // maximum_operations_per_instruction: 1 outside VLIW
    const defaultIsStmt = u.u8();
    void defaultIsStmt;
    const lineBase = (u.u8() << 24) >> 24;
    const lineRange = u.u8();
    const opcodeBase = u.u8();
    if (lineRange === 0) throw new DwarfError('line_range 0');
    const opLengths = [0];
    for (let i = 1; i < opcodeBase; i++) opLengths.push(u.u8());

    // Directories and files, as displayable paths. Directory 0 is the compilation
    // directory (implicit before DWARF 5): its files are shown as the compiler named them.
    const dirs: string[] = [];
    const files: number[] = []; // file index → id in this.files
    const filePath = (name: string, dir: number): string => {
      if (name.startsWith('/') || dir === 0) return posix.normalize(name);
      const d = dirs[dir];
      return posix.normalize(d === undefined ? name : `${d}/${name}`);
    };
    if (version >= 5) {
      const readEntries = (): { path: string; dir: number }[] => {
        const formatCount = u.u8();
        const format: [number, number][] = [];
        for (let i = 0; i < formatCount; i++) format.push([u.uleb(), u.uleb()]);
        const n = u.uleb();
        const out: { path: string; dir: number }[] = [];
        for (let i = 0; i < n; i++) {
          let path = '';
          let dir = 0;
          for (const [type, form] of format) {
            const v = readForm(u, form, offsetSize, strings);
            if (type === DW_LNCT_path && typeof v === 'string') path = v;
            else if (type === DW_LNCT_directory_index && typeof v === 'number') dir = v;
          }
          out.push({ path, dir });
        }
        return out;
      };
      for (const d of readEntries()) dirs.push(d.path);
      for (const f of readEntries()) files.push(this.fileId(filePath(f.path, f.dir)));
    } else {
      dirs.push('');
      for (let d = u.cstr(); d !== ''; d = u.cstr()) dirs.push(d);
      files.push(this.fileId('??')); // file 0 is not used before DWARF 5
      for (let name = u.cstr(); name !== ''; name = u.cstr()) {
        const dir = u.uleb();
        u.uleb(); // mtime
        u.uleb(); // length
        files.push(this.fileId(filePath(name, dir)));
      }
    }

    // The line program.
    const p = new Cursor(b, programStart, end);
    let address = 0, file = 1, line = 1, column = 0;
    let seqFirst = this.addr.length;
    let seqStart = -1;
    const reset = (): void => {
      address = 0;
      file = 1;
      line = 1;
      column = 0;
    };
    const emit = (): void => {
      if (seqStart < 0) seqStart = address;
      this.addr.push(address);
      this.line.push(line);
      this.col.push(column);
      this.file.push(files[file] ?? this.fileId('??'));
    };
    while (p.pos < end) {
      const op = p.u8();
      if (op >= opcodeBase) {
        const adj = op - opcodeBase;
        address += Math.floor(adj / lineRange) * minInst;
        line += lineBase + (adj % lineRange);
        emit();
      } else if (op === 0) {
        const len = p.uleb();
        const at = p.pos;
        if (len === 0) continue;
        const sub = p.u8();
        if (sub === DW_LNE_end_sequence) {
          const count = this.addr.length - seqFirst;
          // A dropped function's rows sit at 0 or at a tombstone: not real code offsets.
          if (count > 0 && seqStart > 0 && seqStart < 0xfffffff0) {
            this.seqs.push({ start: seqStart, end: address, first: seqFirst, count });
          } else {
            this.addr.length = this.line.length = this.col.length = this.file.length = seqFirst;
          }
          seqFirst = this.addr.length;
          seqStart = -1;
          reset();
        } else if (sub === DW_LNE_set_address) {
          address = p.uN(len - 1 || addressSize);
        } else if (sub === DW_LNE_define_file && version < 5) {
          const name = p.cstr();
          const dir = p.uleb();
          p.uleb();
          p.uleb();
          files.push(this.fileId(filePath(name, dir)));
        }
        p.pos = at + len;
      } else {
        switch (op) {
          case DW_LNS_copy: emit(); break;
          case DW_LNS_advance_pc: address += p.uleb() * minInst; break;
          case DW_LNS_advance_line: line += p.sleb(); break;
          case DW_LNS_set_file: file = p.uleb(); break;
          case DW_LNS_set_column: column = p.uleb(); break;
          case DW_LNS_negate_stmt: case DW_LNS_set_basic_block: break;
          case DW_LNS_const_add_pc: address += Math.floor((255 - opcodeBase) / lineRange) * minInst; break;
          case DW_LNS_fixed_advance_pc: address += p.u16(); break;
          default:
            // prologue_end, epilogue_begin, set_isa and unknown ones: skip their operands.
            for (let i = 0; i < (opLengths[op] ?? 0); i++) p.uleb();
        }
      }
    }
    // Rows after the last end_sequence belong to no sequence.
    this.addr.length = this.line.length = this.col.length = this.file.length = seqFirst;
  }
}

/** Reads one attribute value of a DWARF 5 directory or file entry. */
function readForm(c: Cursor, form: number, offsetSize: number, s: DwarfStrings): string | number | null {
  switch (form) {
    case DW_FORM.string: return c.cstr();
    case DW_FORM.line_strp: return strAt(s.lineStr, c.uN(offsetSize), '.debug_line_str');
    case DW_FORM.strp: return strAt(s.str, c.uN(offsetSize), '.debug_str');
    case DW_FORM.udata: return c.uleb();
    case DW_FORM.sdata: return c.sleb();
    case DW_FORM.data1: return c.u8();
    case DW_FORM.data2: return c.u16();
    case DW_FORM.data4: return c.u32();
    case DW_FORM.data8: return c.u64();
    case DW_FORM.data16: c.need(16); c.pos += 16; return null;
    case DW_FORM.block: { const n = c.uleb(); c.need(n); c.pos += n; return null; }
    case DW_FORM.block1: { const n = c.u8(); c.need(n); c.pos += n; return null; }
    case DW_FORM.block2: { const n = c.u16(); c.need(n); c.pos += n; return null; }
    case DW_FORM.block4: { const n = c.u32(); c.need(n); c.pos += n; return null; }
    // strx needs .debug_str_offsets and the unit's base from .debug_info: not read.
    case DW_FORM.strx: c.uleb(); return null;
    case DW_FORM.strx1: c.u8(); return null;
    case DW_FORM.strx2: c.u16(); return null;
    case DW_FORM.strx3: c.pos += 3; return null;
    case DW_FORM.strx4: c.u32(); return null;
    default: throw new DwarfError(`unsupported form 0x${form.toString(16)} in a line table header`);
  }
}

/** The line table of a module's kept custom sections, or null if it has no .debug_line. */
export function lineTableOf(custom: ReadonlyMap<string, Uint8Array>): LineTable | null {
  const dl = custom.get('.debug_line');
  if (!dl) return null;
  return LineTable.parse(dl, { lineStr: custom.get('.debug_line_str'), str: custom.get('.debug_str') });
}
