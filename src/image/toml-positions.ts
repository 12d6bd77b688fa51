// Where each key and value of a TOML document is: line and column by field path, for the
// manifest's semantic errors (smol-toml gives positions only for syntax errors).
//
// The scanner runs after smol-toml has accepted the document, so it may assume well-formed
// input; it tokenizes just enough of TOML to follow the structure: comments, the four
// string forms, table headers `[a.b]` and array-of-tables headers `[[a]]` (each one a new
// element: `a[0]`, `a[1]` ...; a later `[a.b]` belongs to the last element), dotted keys,
// inline tables and arrays (elements `x[0]`, `x[1]` ...). Paths are made by pathKey() from
// segments (strings for keys, numbers for array indexes), the same function the validator
// uses to look them up.

export type Seg = string | number;
export interface Pos { line: number; column: number }
export interface Where { key: Pos | null; value: Pos | null }

const BARE = /^[A-Za-z0-9_-]+$/;

/** A field path as people write it: `services.web.restart`, `mounts[1].type`, `env."A.B"`. */
export function pathKey(segs: readonly Seg[]): string {
  let out = '';
  for (const s of segs) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += (out === '' ? '' : '.') + (BARE.test(s) ? s : JSON.stringify(s));
  }
  return out;
}

export function scanPositions(src: string): Map<string, Where> {
  const out = new Map<string, Where>();
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (): Pos => ({ line, column: i - lineStart + 1 });
  const note = (segs: readonly Seg[], kind: 'key' | 'value', p: Pos): void => {
    const k = pathKey(segs);
    const w = out.get(k) ?? { key: null, value: null };
    if (w[kind] === null) w[kind] = p;
    out.set(k, w);
  };
  const newline = (): void => {
    i++;
    line++;
    lineStart = i;
  };
  /** Spaces, tabs, comments and (when `nl`) newlines. */
  const skip = (nl: boolean): void => {
    while (i < src.length) {
      const c = src[i];
      if (c === ' ' || c === '\t' || c === '\r') i++;
      else if (c === '#') while (i < src.length && src[i] !== '\n') i++;
      else if (c === '\n' && nl) newline();
      else break;
    }
  };
  const readString = (): string => {
    const q = src[i]!;
    const triple = src.startsWith(q.repeat(3), i);
    const close = triple ? q.repeat(3) : q;
    i += close.length;
    let s = '';
    while (i < src.length) {
      if (src.startsWith(close, i)) {
        i += close.length;
        // A multi-line string may end with up to two more quotes inside it.
        while (triple && src[i] === q) { s += q; i++; }
        return s;
      }
      const c = src[i]!;
      if (c === '\\' && q === '"') {
        s += src.slice(i, i + 2);
        if (src[i + 1] === '\n') { i++; newline(); } else i += 2;
        continue;
      }
      if (c === '\n') { s += c; newline(); continue; }
      s += c;
      i++;
    }
    return s;
  };
  /** One key segment: bare or quoted (the quoted value without escapes decoded beyond JSON's). */
  const readKeySeg = (): string => {
    if (src[i] === '"') {
      const raw = readString();
      try { return JSON.parse(`"${raw}"`) as string; } catch { return raw; }
    }
    if (src[i] === "'") return readString();
    const start = i;
    while (i < src.length && /[A-Za-z0-9_-]/.test(src[i]!)) i++;
    return src.slice(start, i);
  };
  const readDotted = (): { segs: string[]; at: Pos } => {
    skip(false);
    const at = pos();
    const segs = [readKeySeg()];
    for (;;) {
      skip(false);
      if (src[i] !== '.') break;
      i++;
      skip(false);
      segs.push(readKeySeg());
    }
    return { segs, at };
  };

  const arrays = new Map<string, number>(); // array-of-tables path → its last index
  /** Header segments → path, with the current element of each array of tables on the way. */
  const resolve = (segs: string[]): Seg[] => {
    const outSegs: Seg[] = [];
    for (const s of segs) {
      outSegs.push(s);
      const n = arrays.get(pathKey(outSegs));
      if (n !== undefined) outSegs.push(n);
    }
    return outSegs;
  };

  const readValue = (path: Seg[]): void => {
    skip(false);
    note(path, 'value', pos());
    const c = src[i];
    if (c === '"' || c === "'") { readString(); return; }
    if (c === '{') {
      i++;
      for (;;) {
        skip(true);
        if (src[i] === '}' || i >= src.length) { i++; return; }
        if (src[i] === ',') { i++; continue; }
        readKeyValue(path);
      }
    }
    if (c === '[') {
      i++;
      let n = 0;
      for (;;) {
        skip(true);
        if (src[i] === ']' || i >= src.length) { i++; return; }
        if (src[i] === ',') { i++; continue; }
        readValue([...path, n++]);
      }
    }
    // A number, boolean or date: up to a delimiter.
    while (i < src.length && !/[,\]}\n#]/.test(src[i]!)) i++;
  };
  const readKeyValue = (table: Seg[]): void => {
    const { segs, at } = readDotted();
    const path = [...table, ...segs];
    note(path, 'key', at);
    skip(false);
    if (src[i] === '=') i++;
    readValue(path);
  };

  let table: Seg[] = [];
  while (i < src.length) {
    skip(true);
    if (i >= src.length) break;
    if (src[i] === '[') {
      const aot = src[i + 1] === '[';
      i += aot ? 2 : 1;
      const { segs, at } = readDotted();
      if (aot) {
        const base = resolve(segs.slice(0, -1));
        base.push(segs[segs.length - 1]!);
        const k = pathKey(base);
        const n = (arrays.get(k) ?? -1) + 1;
        arrays.set(k, n);
        note(base, 'key', at);
        table = [...base, n];
      } else {
        table = resolve(segs);
      }
      note(table, 'key', at);
      skip(false);
      i += aot ? 2 : 1;
      continue;
    }
    readKeyValue(table);
    // Anything left on the line (only a comment, in a valid document).
    skip(false);
  }
  return out;
}
