// termios(3) as Linux lays it out: flag bits, c_cc indices, the default settings of a new
// terminal (stty sane), and the 60-byte struct termios the `isokernel` calls read and write
// (docs/abi.md, "Terminals"). Speeds are nominal: they are stored and given back, nothing
// is paced by them.

export const NCCS = 32;
export const TERMIOS_SIZE = 60; // iflag, oflag, cflag, lflag (u32), line (u8), cc[32], pad, ispeed, ospeed
export const WINSIZE_SIZE = 8; // rows, cols, xpixel, ypixel (u16)

/** c_iflag */
export const I = {
  IGNBRK: 0o1, BRKINT: 0o2, IGNPAR: 0o4, PARMRK: 0o10, INPCK: 0o20, ISTRIP: 0o40, INLCR: 0o100,
  IGNCR: 0o200, ICRNL: 0o400, IUCLC: 0o1000, IXON: 0o2000, IXANY: 0o4000, IXOFF: 0o10000,
  IMAXBEL: 0o20000, IUTF8: 0o40000,
} as const;
/** c_oflag */
export const O = { OPOST: 0o1, OLCUC: 0o2, ONLCR: 0o4, OCRNL: 0o10, ONOCR: 0o20, ONLRET: 0o40 } as const;
/** c_cflag */
export const C = {
  CSIZE: 0o60, CS8: 0o60, CSTOPB: 0o100, CREAD: 0o200, PARENB: 0o400, PARODD: 0o1000, HUPCL: 0o2000,
  CLOCAL: 0o4000, CBAUD: 0o10017, B38400: 0o17,
} as const;
/** c_lflag */
export const L = {
  ISIG: 0o1, ICANON: 0o2, XCASE: 0o4, ECHO: 0o10, ECHOE: 0o20, ECHOK: 0o40, ECHONL: 0o100,
  NOFLSH: 0o200, TOSTOP: 0o400, ECHOCTL: 0o1000, ECHOPRT: 0o2000, ECHOKE: 0o4000, FLUSHO: 0o10000,
  PENDIN: 0o40000, IEXTEN: 0o100000,
} as const;
/** c_cc indices */
export const V = {
  INTR: 0, QUIT: 1, ERASE: 2, KILL: 3, EOF: 4, TIME: 5, MIN: 6, SWTC: 7, START: 8, STOP: 9,
  SUSP: 10, EOL: 11, REPRINT: 12, DISCARD: 13, WERASE: 14, LNEXT: 15, EOL2: 16,
} as const;
/** tcsetattr's optional_actions */
export const TCSANOW = 0;
export const TCSADRAIN = 1;
export const TCSAFLUSH = 2;

export interface Termios {
  iflag: number;
  oflag: number;
  cflag: number;
  lflag: number;
  line: number;
  cc: Uint8Array;
  ispeed: number;
  ospeed: number;
}

export interface WinSize {
  rows: number;
  cols: number;
  xpixel: number;
  ypixel: number;
}

/** A new terminal's settings: Linux's defaults (cooked, echo, signals, CR→NL in, NL→CRNL out). */
export function defaultTermios(): Termios {
  const cc = new Uint8Array(NCCS);
  cc[V.INTR] = 0x03;
  cc[V.QUIT] = 0x1c;
  cc[V.ERASE] = 0x7f;
  cc[V.KILL] = 0x15;
  cc[V.EOF] = 0x04;
  cc[V.TIME] = 0;
  cc[V.MIN] = 1;
  cc[V.START] = 0x11;
  cc[V.STOP] = 0x13;
  cc[V.SUSP] = 0x1a;
  cc[V.REPRINT] = 0x12;
  cc[V.DISCARD] = 0x0f;
  cc[V.WERASE] = 0x17;
  cc[V.LNEXT] = 0x16;
  return {
    iflag: I.ICRNL | I.IXON | I.IUTF8,
    oflag: O.OPOST | O.ONLCR,
    cflag: C.B38400 | C.CS8 | C.CREAD | C.HUPCL,
    lflag: L.ISIG | L.ICANON | L.ECHO | L.ECHOE | L.ECHOK | L.ECHOCTL | L.ECHOKE | L.IEXTEN,
    line: 0, cc, ispeed: C.B38400, ospeed: C.B38400,
  };
}

export function copyTermios(t: Termios): Termios {
  return { ...t, cc: t.cc.slice() };
}

/** Reads a struct termios from 60 bytes at `off`. */
export function decodeTermios(dv: DataView, off: number): Termios {
  return {
    iflag: dv.getUint32(off, true), oflag: dv.getUint32(off + 4, true),
    cflag: dv.getUint32(off + 8, true), lflag: dv.getUint32(off + 12, true),
    line: dv.getUint8(off + 16),
    cc: new Uint8Array(dv.buffer.slice(dv.byteOffset + off + 17, dv.byteOffset + off + 17 + NCCS)),
    ispeed: dv.getUint32(off + 52, true), ospeed: dv.getUint32(off + 56, true),
  };
}

export function encodeTermios(t: Termios, dv: DataView, off: number): void {
  dv.setUint32(off, t.iflag >>> 0, true);
  dv.setUint32(off + 4, t.oflag >>> 0, true);
  dv.setUint32(off + 8, t.cflag >>> 0, true);
  dv.setUint32(off + 12, t.lflag >>> 0, true);
  dv.setUint8(off + 16, t.line);
  for (let i = 0; i < NCCS; i++) dv.setUint8(off + 17 + i, t.cc[i] ?? 0);
  for (let i = 49; i < 52; i++) dv.setUint8(off + i, 0);
  dv.setUint32(off + 52, t.ispeed >>> 0, true);
  dv.setUint32(off + 56, t.ospeed >>> 0, true);
}

/** cfmakeraw(3): what Node's setRawMode and libuv's raw mode set, less output processing kept. */
export function makeRaw(t: Termios, keepOutput = false): void {
  t.iflag &= ~(I.IGNBRK | I.BRKINT | I.PARMRK | I.ISTRIP | I.INLCR | I.IGNCR | I.ICRNL | I.IXON);
  if (!keepOutput) t.oflag &= ~O.OPOST;
  t.lflag &= ~(L.ECHO | L.ECHONL | L.ICANON | L.ISIG | L.IEXTEN);
  t.cflag = (t.cflag & ~(C.CSIZE | C.PARENB)) | C.CS8;
  t.cc[V.MIN] = 1;
  t.cc[V.TIME] = 0;
}
