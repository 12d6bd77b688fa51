// The host's side of kernel pipes: the control socket (control.ts) talks to init and to the
// programs `exec` runs through pipes whose other ends are the processes' descriptors. The
// host's ends are never in a descriptor table: they are closed here, by hand, once.
import { E } from '../abi/wasi.ts';
import { SysError } from '../kernel/errors.ts';
import { WOULD_BLOCK } from '../kernel/fd/open-file.ts';
import { Pipe, type PipeReader, type PipeWriter } from '../kernel/fd/pipe.ts';

/** A pipe whose read end is the host's (`host`) and whose write end goes to a process (`guest`). */
export function hostReadPipe(): { host: PipeReader; guest: PipeWriter } {
  const [r, w] = Pipe.create();
  return { host: r, guest: w };
}

/** A pipe whose write end is the host's and whose read end goes to a process. */
export function hostWritePipe(): { host: PipeWriter; guest: PipeReader } {
  const [r, w] = Pipe.create();
  return { host: w, guest: r };
}

/**
 * Reads until end of file, handing each chunk to `onData` (a copy it may keep); when
 * `onData` returns a promise, the next read waits for it (the writer then waits on a full
 * pipe: backpressure).
 */
export async function drain(r: PipeReader, onData: (b: Uint8Array) => void | Promise<void>): Promise<void> {
  const buf = new Uint8Array(65536);
  for (;;) {
    const n = r.read(buf);
    if (n === WOULD_BLOCK) {
      await r.waitReadable();
      continue;
    }
    if (n === 0) return;
    const p = onData(buf.slice(0, n));
    if (p) await p;
  }
}

/** Writes all of `data`, waiting for room. Throws SysError EPIPE when no one reads. */
export async function writeAll(w: PipeWriter, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) {
    if (w.pipe.readers === 0) throw new SysError(E.PIPE);
    const n = w.write(data.subarray(off));
    if (n === WOULD_BLOCK) {
      await w.waitWritable();
      continue;
    }
    off += n;
  }
}

const closed = new WeakSet<PipeReader | PipeWriter>();

/** Closes a host end once (a second call does nothing). */
export function closeEnd(f: PipeReader | PipeWriter): void {
  if (closed.has(f)) return;
  closed.add(f);
  f.close();
}
