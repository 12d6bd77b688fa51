// The syscall gate: how a syscall that may wait costs a plain call when it does not, and
// where signals are delivered.
//
// A JSPI Suspending import costs ~95 ns per call even when it returns at once, a plain JS
// import ~15 ns. So each syscall that may block is given to the guest as a tiny wasm
// function (this module, built once per kernel) that calls the plain "fast" import first
// and only when that returns BLOCK (-1, never an errno) calls the Suspending "slow" import,
// which sleeps and retries. The guest → gate → slow frames are all wasm, so JSPI can
// suspend the stack across them.
//
// On the way out, the gate reads the CPU's `attention` global (proc/cpu.ts). When set, it
// asks sig_next() for work: a signal number (it calls the handler through table slot 0,
// which sig_next has just pointed at the guest's `__isokernel_signal` export, then
// sig_return() to restore the mask), -1 (the process is stopped: sig_wait() sleeps until
// it is continued), or 0 (nothing left). Handlers therefore run on the guest's own stack,
// below the gate, with only wasm frames between: a handler may itself make blocking
// syscalls. A call that returns RESTART (-2) is made again after the handlers (SA_RESTART).
//
//   (func $NAME (param ...) (result i32) (local $r i32) (local $s i32)
//     (loop $again
//       r = fast(args); if r == -1: r = resumed(slow(args))
//       if global.attention:
//         (loop $deliver s = sig_next(); if s: (if s == -1 resumed(sig_wait()) else handler(s); sig_return()) br $deliver)
//       br_if $again (r == -2))
//     r)
import { Writer } from '../proc/wasm-binary.ts';

type ValType = 'i32' | 'i64';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e };

export interface GatedSignature {
  name: string;
  params: ValType[];
}

/** Appends `body` with its length before it (a section's contents, a function body). */
function sized(out: Writer, body: Writer): void {
  out.u32(body.len).bytes(body.buf.subarray(0, body.len));
}

export interface GateHooks {
  /** Plain: the next thing to do for the current process (signal, -1 stopped, 0 none). */
  sig_next: () => number;
  /** Plain: a handler returned. */
  sig_return: () => number;
  /** Suspending: sleeps while the current process is stopped. */
  sig_wait: WebAssembly.Suspending;
  /**
   * Plain: called by the gate right after a Suspending import returns, with what it
   * returned (a resumption ticket), when the guest's stack really runs again. JSPI resumes
   * the stack in a later microtask than the one the import's promise settled in, and other
   * processes may run in between; so the current process is set here, not in the import.
   */
  resumed: (ticket: number) => number;
  attention: WebAssembly.Global;
}

/**
 * Builds the gate module for `sigs`: imports k.fast_NAME and k.slow_NAME, k.sig_next,
 * k.sig_return, k.sig_wait and the global k.attention; exports NAME and the table `sigtab`.
 */
export function buildGateModule(sigs: readonly GatedSignature[]): Uint8Array {
  // Emitted with the kernel's Writer (proc/wasm-binary.ts), appending in place: this runs once
  // per kernel, cold, on the boot's path (an emitter of spread arrays cost ~20 ms of a core there).
  const n = sigs.length;
  const T_NEXT = n; // () -> i32
  const T_HANDLER = n + 1; // (i32) -> ()
  const T_RESUMED = n + 2; // (i32) -> i32
  const F_NEXT = 2 * n, F_RETURN = 2 * n + 1, F_WAIT = 2 * n + 2, F_RESUMED = 2 * n + 3;
  const out = new Writer(1024).bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const sec = new Writer(1024);
  const section = (id: number): void => {
    sized(out.byte(id), sec);
    sec.len = 0;
  };

  // 1: types — one per signature, then next, handler, resumed.
  sec.u32(n + 3);
  for (const s of sigs) {
    sec.byte(0x60);
    sec.u32(s.params.length);
    for (const p of s.params) sec.byte(VALTYPE[p]);
    sec.bytes([1, 0x7f]);
  }
  sec.bytes([0x60, 0, 1, 0x7f, 0x60, 1, 0x7f, 0, 0x60, 1, 0x7f, 1, 0x7f]);
  section(1);

  // 2: imports — fast_ and slow_ of each, the hooks, the attention global.
  const fn = (name: string, type: number): void => {
    sec.name('k');
    sec.name(name);
    sec.byte(0x00);
    sec.u32(type);
  };
  sec.u32(2 * n + 5);
  sigs.forEach((s, i) => {
    fn('fast_' + s.name, i);
    fn('slow_' + s.name, i);
  });
  fn('sig_next', T_NEXT);
  fn('sig_return', T_NEXT);
  fn('sig_wait', T_NEXT);
  fn('resumed', T_RESUMED);
  sec.name('k');
  sec.name('attention');
  sec.bytes([0x03, 0x7f, 0x01]);
  section(2);

  // 3: functions; 4: the table.
  sec.u32(n);
  for (let i = 0; i < n; i++) sec.u32(i);
  section(3);
  sec.bytes([1, 0x70, 0x00, 0x01]);
  section(4);

  // 7: exports — each gate function by its name, and the table.
  sec.u32(n + 1);
  sigs.forEach((s, i) => {
    sec.name(s.name);
    sec.byte(0x00);
    sec.u32(2 * n + 4 + i);
  });
  sec.name('sigtab');
  sec.bytes([0x01, 0x00]);
  section(7);

  // 10: code.
  sec.u32(n);
  const code = new Writer(256);
  const op = (...b: number[]): void => {
    code.bytes(b);
  };
  const opU = (b: number, u: number): void => {
    code.byte(b).u32(u);
  };
  sigs.forEach((s, i) => {
    const np = s.params.length;
    const R = np, S = np + 1;
    const getAll = (): void => {
      for (let j = 0; j < np; j++) opU(0x20, j);
    };
    code.len = 0;
    op(1, 2, 0x7f); // locals r, s
    op(0x03, 0x40); // loop $again
    getAll();
    opU(0x10, 2 * i);
    opU(0x22, R);
    op(0x41, 0x7f, 0x46);
    op(0x04, 0x40);
    getAll();
    opU(0x10, 2 * i + 1);
    opU(0x10, F_RESUMED);
    opU(0x21, R);
    op(0x0b);
    op(0x23, 0x00); // global.get attention
    op(0x04, 0x40);
    op(0x03, 0x40); // loop $deliver
    opU(0x10, F_NEXT);
    opU(0x22, S);
    op(0x04, 0x40);
    opU(0x20, S);
    op(0x41, 0x7f, 0x46);
    op(0x04, 0x40);
    opU(0x10, F_WAIT);
    opU(0x10, F_RESUMED);
    op(0x1a);
    op(0x05);
    opU(0x20, S);
    op(0x41, 0x00);
    opU(0x11, T_HANDLER);
    op(0x00);
    opU(0x10, F_RETURN);
    op(0x1a);
    op(0x0b);
    op(0x0c, 0x01); // br $deliver
    op(0x0b);
    op(0x0b); // end loop $deliver
    op(0x0b); // end if attention
    opU(0x20, R);
    op(0x41, 0x7e, 0x46, 0x0d, 0x00); // br_if $again (r == -2)
    op(0x0b); // end loop $again
    opU(0x20, R);
    op(0x0b);
    sized(sec, code);
  });
  section(10);
  return out.result();
}
