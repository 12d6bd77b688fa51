// /dev/sa: how a process asks the kernel for a sar report. The activity database is SQLite
// in the host (store.ts), which no process can open; so the `sar` program inside an image
// (userland/cmd/sar.c) writes its arguments here and reads the report back, and the kernel
// runs the same SarSession (sar.ts) the host's `isokernel sar` runs. A request/response
// device, like Plan 9's ctl files: each open description holds one session.
//
// Request (one or more writes, ended by the first read): NUL-terminated words.
//   sar\0ARG\0ARG\0...   start a report (sar's arguments, without the program name)
//   next\0               the next interval of a live report (after the wait it asked for)
//   end\0                interrupted: the averages so far
// Response (reads until 0): records, then one status line.
//   1 LEN\nBYTES         text for stdout (LEN bytes)
//   2 LEN\nBYTES         text for stderr
//   sleep MS\n           a live report goes on: wait MS ms, then write next\0 and read
//   exit STATUS\n        the report is over; exit with STATUS
// A write after a response was read starts a new request. Errors: E2BIG for a request over
// 64 KiB; EINVAL for a request that is not NUL-terminated words, an unknown word, or
// next/end without a live report on this description. A read with no request runs `sar`
// with no arguments (today's CPU report), so `cat /dev/sa` shows something.
//
// Reports run synchronously on the kernel thread when the read comes: a day of samples at
// 10 s is 8,640 rows, a few ms of SQLite and formatting.
import { E } from '../abi/wasi.ts';
import { fail, KernelError, SysError } from '../kernel/errors.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { CharDeviceHandle, DevFs } from '../kernel/vfs/devfs.ts';
import type { SarSession, SarStep } from './sar.ts';

export const MAX_REQUEST = 64 * 1024;

/** What the device needs of the collector. */
export interface SarProvider {
  sar(args: readonly string[]): SarSession;
  readonly stopped?: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const enc = new TextEncoder();

/** Encodes a session step as the device's response. */
export function encodeStep(step: SarStep): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [fd, text] of [[1, step.out], [2, step.err]] as const) {
    if (!text) continue;
    const b = enc.encode(text);
    parts.push(enc.encode(`${fd} ${b.length}\n`), b);
  }
  parts.push(enc.encode(step.sleepMs >= 0 ? `sleep ${Math.round(step.sleepMs)}\n` : `exit ${step.status}\n`));
  return Buffer.concat(parts);
}

class SaHandle extends CharDeviceHandle {
  private readonly provider: SarProvider;
  private request: Uint8Array[] = [];
  private requestBytes = 0;
  private response: Uint8Array | null = null;
  private pos = 0;
  private session: SarSession | null = null;

  constructor(provider: SarProvider) {
    super();
    this.provider = provider;
  }

  write(src: Uint8Array, _pos: number): number {
    this.live();
    if (this.response !== null) {
      this.response = null;
      this.request = [];
      this.requestBytes = 0;
    }
    if (this.requestBytes + src.length > MAX_REQUEST) fail(E['2BIG']);
    this.request.push(src.slice());
    this.requestBytes += src.length;
    return src.length;
  }

  read(dst: Uint8Array, _pos: number): number {
    this.live();
    if (this.response === null) {
      this.response = this.run();
      this.pos = 0;
    }
    const n = Math.min(dst.length, this.response.length - this.pos);
    dst.set(this.response.subarray(this.pos, this.pos + n));
    this.pos += n;
    return n;
  }

  /** Runs the pending request. Errors: EINVAL (a malformed request). */
  private run(): Uint8Array {
    const bytes = Buffer.concat(this.request);
    this.request = [];
    this.requestBytes = 0;
    let words: string[];
    if (bytes.length === 0) words = ['sar'];
    else {
      if (bytes[bytes.length - 1] !== 0) fail(E.INVAL);
      let text: string;
      try {
        text = utf8.decode(bytes.subarray(0, bytes.length - 1));
      } catch {
        return fail(E.INVAL);
      }
      words = text.split('\0');
    }
    const [op, ...args] = words;
    if (this.provider.stopped === true) {
      return encodeStep({ out: '', err: 'sar: the activity collector has stopped\n', sleepMs: -1, status: 1 });
    }
    let step: SarStep;
    switch (op) {
      case 'sar':
        this.session = this.provider.sar(args);
        step = this.session.start();
        break;
      case 'next':
      case 'end':
        if (args.length > 0 || this.session === null || this.session.done) return fail(E.INVAL);
        step = op === 'next' ? this.session.next() : this.session.end();
        break;
      default:
        return fail(E.INVAL);
    }
    if (this.session?.done) this.session = null;
    return encodeStep(step);
  }

  override close(): void {
    super.close();
    this.session = null;
    this.response = null;
    this.request = [];
  }
}

/** Adds /dev/sa to `kernel`'s devfs, served by `provider`. KernelError EEXIST if it is there. */
export function installSaDevice(kernel: Kernel, provider: SarProvider): void {
  const dev = kernel.ns.resolve(kernel.ns.root, kernel.ns.root, '/dev', true);
  const fs = dev.mount.fs;
  if (!(fs instanceof DevFs) || dev.vnode !== fs.root()) throw new KernelError('ENODEV', '/dev is not the kernel\'s devfs: no /dev/sa');
  try {
    fs.addDevice('sa', () => new SaHandle(provider));
  } catch (e) {
    if (e instanceof SysError && e.errno === E.EXIST) throw new KernelError('EEXIST', '/dev/sa exists: one activity collector per kernel');
    throw e;
  }
}
