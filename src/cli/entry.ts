// The host command's entry as TypeScript (`node src/cli/entry.ts ...`, as tests run it): the
// same as entry.mjs, which bin/isokernel runs. A .ts entry makes Node load its TypeScript
// stripper before anything else (~130 ms of a core), so the real command starts from the .mjs.
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./main.ts');
