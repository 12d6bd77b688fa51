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

type ValType = 'i32' | 'i64';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e };

export interface GatedSignature {
  name: string;
  params: ValType[];
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function str(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** The gate's own imports beside the fast/slow pairs (module "k"). */
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
  const n = sigs.length;
  const T_NEXT = n; // () -> i32
  const T_HANDLER = n + 1; // (i32) -> ()
  const T_RESUMED = n + 2; // (i32) -> i32
  const types = [
    ...sigs.map((s) => [0x60, ...vec(s.params.map((p) => [VALTYPE[p]])), 1, 0x7f]),
    [0x60, 0, 1, 0x7f],
    [0x60, 1, 0x7f, 0],
    [0x60, 1, 0x7f, 1, 0x7f],
  ];
  const imports: number[][] = [];
  sigs.forEach((s, i) => {
    imports.push([...str('k'), ...str('fast_' + s.name), 0x00, ...uleb(i)]);
    imports.push([...str('k'), ...str('slow_' + s.name), 0x00, ...uleb(i)]);
  });
  const F_NEXT = 2 * n, F_RETURN = 2 * n + 1, F_WAIT = 2 * n + 2, F_RESUMED = 2 * n + 3;
  imports.push([...str('k'), ...str('sig_next'), 0x00, ...uleb(T_NEXT)]);
  imports.push([...str('k'), ...str('sig_return'), 0x00, ...uleb(T_NEXT)]);
  imports.push([...str('k'), ...str('sig_wait'), 0x00, ...uleb(T_NEXT)]);
  imports.push([...str('k'), ...str('resumed'), 0x00, ...uleb(T_RESUMED)]);
  imports.push([...str('k'), ...str('attention'), 0x03, 0x7f, 0x01]);
  const funcs = sigs.map((_, i) => uleb(i));
  const exports = [
    ...sigs.map((s, i) => [...str(s.name), 0x00, ...uleb(2 * n + 4 + i)]),
    [...str('sigtab'), 0x01, 0x00],
  ];
  const bodies = sigs.map((s, i) => {
    const np = s.params.length;
    const R = uleb(np), S = uleb(np + 1);
    const getAll = s.params.flatMap((_, j) => [0x20, ...uleb(j)]);
    const code = [
      ...vec([[2, 0x7f]]), // locals r, s
      0x03, 0x40, // loop $again
      ...getAll, 0x10, ...uleb(2 * i), 0x22, ...R, 0x41, 0x7f, 0x46,
      0x04, 0x40, ...getAll, 0x10, ...uleb(2 * i + 1), 0x10, ...uleb(F_RESUMED), 0x21, ...R, 0x0b,
      0x23, 0x00, // global.get attention
      0x04, 0x40,
      0x03, 0x40, // loop $deliver
      0x10, ...uleb(F_NEXT), 0x22, ...S,
      0x04, 0x40,
      0x20, ...S, 0x41, 0x7f, 0x46,
      0x04, 0x40, 0x10, ...uleb(F_WAIT), 0x10, ...uleb(F_RESUMED), 0x1a,
      0x05, 0x20, ...S, 0x41, 0x00, 0x11, ...uleb(T_HANDLER), 0x00, 0x10, ...uleb(F_RETURN), 0x1a,
      0x0b,
      0x0c, 0x01, // br $deliver
      0x0b,
      0x0b, // end loop $deliver
      0x0b, // end if attention
      0x20, ...R, 0x41, 0x7e, 0x46, 0x0d, 0x00, // br_if $again (r == -2)
      0x0b, // end loop $again
      0x20, ...R,
      0x0b,
    ];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(funcs)),
    ...section(4, vec([[0x70, 0x00, 0x01]])),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
