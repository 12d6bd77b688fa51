// The host command's entry point (bin/isokernel). Plain JavaScript on purpose: Node strips
// a .ts entry with its TypeScript stripper (amaro, a wasm build of swc), which costs ~130 ms
// of a core to load and compile on every start, before any cache could be turned on.
// This file turns on Node's module compile cache first — the kernel's TypeScript sources,
// type-stripped and compiled, kept on disk between runs (in the system's temporary
// directory; NODE_COMPILE_CACHE moves it, NODE_DISABLE_COMPILE_CACHE=1 turns it off) — so
// the kernel's modules load without the stripper and without compiling; then it runs
// main.ts. Static imports would be loaded before the cache is on, hence the dynamic import.
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./main.ts');
