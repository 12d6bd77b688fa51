// The floor under every isokernel system call: what V8 charges for a wasm → JS import call
// made from a stack that JSPI can suspend, against the same call from a plain export.
//   node bench/jspi-floor.ts
// Prints `jspi_floor_plain NS` and `jspi_floor_promising NS` (ns per call of an empty JS
// import taking two i32s, as args_sizes_get does) for bench/run.ts's notes.
//
// Every isokernel process runs under WebAssembly.promising (so that any system call can
// sleep without blocking the kernel thread), and V8 runs JS imports called from such a
// stack on the thread's central stack: each call switches stacks there and back. node:wasi
// never pays this: its processes run on the central stack (and a blocking call blocks the
// whole thread), and its calls are C++ fast-API calls.
import { measure } from './common.ts';

// (module (import "k" "f" (func (param i32 i32) (result i32)))
//   (func (export "run") (param $n i32) (result i32) (local $s i32)
//     (loop (s += f(8, 16)) (br_if 0 (n = n - 1))) s))
const body = [
  1, 1, 0x7f, 0x03, 0x40, 0x20, 1, 0x41, 8, 0x41, 16, 0x10, 0, 0x6a, 0x21, 1,
  0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b, 0x20, 1, 0x0b,
];
const bytes = new Uint8Array([
  0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  1, 12, 2, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 1, 0x7f, 1, 0x7f, // types
  2, 7, 1, 1, 0x6b, 1, 0x66, 0, 0, // import k.f
  3, 2, 1, 1, // func run: type 1
  7, 7, 1, 3, 0x72, 0x75, 0x6e, 0, 1, // export run
  10, body.length + 2, 1, body.length, ...body,
]);

const module = new WebAssembly.Module(bytes);
const empty = (_a: number, _b: number): number => 0;
const run = new WebAssembly.Instance(module, { k: { f: empty } }).exports.run as (n: number) => number;
const promising = WebAssembly.promising(
  new WebAssembly.Instance(module, { k: { f: empty } }).exports.run as (n: number) => number,
) as (n: number) => Promise<number>;

console.log(`jspi_floor_plain ${(await measure((n) => run(n))).toFixed(2)}`);
console.log(`jspi_floor_promising ${(await measure((n) => promising(n))).toFixed(2)}`);
