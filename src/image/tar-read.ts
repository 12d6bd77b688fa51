// Reading a POSIX tar archive held whole in memory: the members of an image file, at boot.
//
// Images are written with tar-stream (archive.ts); reading them back with its stream API
// costs tens of ms per image and ~10 ms of module loading at every boot, where walking the
// 512-byte headers of a buffer costs well under one. This reader takes what tar-stream (and
// GNU and BSD tar) write: ustar headers (name with its prefix field), pax extended headers
// (`x`: path, linkpath, size; `g` ignored), GNU long names (`L`, `K`); sizes in octal or
// base-256; typeflags 0 (and NUL) regular file, 5 directory, 2 symlink. Anything else (hard
// links, devices, FIFOs) is refused by name, as is a header whose checksum is wrong, a
// member that runs past the end of the buffer (a truncated file) and an archive without its
// end (two zero blocks, or at least the end of the buffer on a block boundary).
export interface TarMember {
  name: string;
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  data: Uint8Array;
  linkname: string;
}

const BLOCK = 512;
const dec = new TextDecoder();

function field(h: Uint8Array, off: number, len: number): string {
  const f = h.subarray(off, off + len);
  const nul = f.indexOf(0);
  return dec.decode(nul < 0 ? f : f.subarray(0, nul));
}

function number(h: Uint8Array, off: number, len: number, what: string): number {
  if (h[off]! & 0x80) {
    // base-256 (GNU): big-endian, the top bit of the first byte is the marker.
    let v = h[off]! & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + h[off + i]!;
    return v;
  }
  const s = field(h, off, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new Error(`bad ${what} field ${JSON.stringify(s)}`);
  return parseInt(s, 8);
}

/** pax records: "LEN KEY=VALUE\n"... */
function paxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(dec.decode(data.subarray(i, sp)));
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) throw new Error('bad pax header');
    const rec = dec.decode(data.subarray(sp + 1, i + len - 1));
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

/** The members of `tar`, in order. Throws an Error saying what is wrong and where. */
export function readTar(tar: Uint8Array): TarMember[] {
  const out: TarMember[] = [];
  let off = 0;
  let pax: Map<string, string> | null = null;
  let longName: string | null = null;
  let longLink: string | null = null;
  for (;;) {
    if (off === tar.length) return out; // no end blocks, but whole blocks: accepted (as tar does)
    if (off + BLOCK > tar.length) throw new Error(`truncated at byte ${off} (a partial header)`);
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) return out;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    const want = number(h, 148, 8, 'checksum');
    if (sum !== want) throw new Error(`header checksum mismatch at byte ${off}`);
    const size = pax?.has('size') ? Number(pax.get('size')) : number(h, 124, 12, 'size');
    const start = off + BLOCK;
    if (!Number.isSafeInteger(size) || size < 0 || start + size > tar.length) {
      throw new Error(`truncated: member at byte ${off} needs ${size} bytes, ${Math.max(0, tar.length - start)} are left`);
    }
    const data = tar.subarray(start, start + size);
    off = start + Math.ceil(size / BLOCK) * BLOCK;
    const flag = String.fromCharCode(h[156]!);
    if (flag === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (flag === 'g') continue;
    if (flag === 'L' || flag === 'K') {
      const s = dec.decode(data).replace(/\0+$/, '');
      if (flag === 'L') longName = s;
      else longLink = s;
      continue;
    }
    const magic = field(h, 257, 6);
    const prefix = magic.startsWith('ustar') ? field(h, 345, 155) : '';
    const plain = field(h, 0, 100);
    const name = pax?.get('path') ?? longName ?? (prefix ? `${prefix}/${plain}` : plain);
    const linkname = pax?.get('linkpath') ?? longLink ?? field(h, 157, 100);
    pax = null;
    longName = null;
    longLink = null;
    const type = flag === '0' || flag === '\0' ? 'file' : flag === '5' ? 'directory' : flag === '2' ? 'symlink' : null;
    if (type === null) throw new Error(`member ${name} has typeflag ${JSON.stringify(flag)}, not allowed in an image`);
    out.push({ name, type, mode: number(h, 100, 8, 'mode') & 0o7777, data, linkname });
  }
}
