// The runtime's own built-in modules (builtins.ts serves them): node:fs and fs/promises,
// child_process, os, tty, module, and isokernel. Each is built on first use, as a plain
// mutable object (programs patch fs, as graceful-fs does).
import { provide, builtin, builtinNames, isBuiltin } from '../builtins.ts';
import { nodeError } from '../errors.ts';
import { isokernel } from '../isokernel.ts';
import { CjsModule, createRequire, requireCache } from '../loader.ts';
import { primordials as P } from '../primordials.ts';
import * as sys from '../sys.ts';
import * as childProcess from './child_process.ts';
import * as fs from './fs.ts';
import * as net from './net.ts';
import * as http from './http.ts';
import { makeOs } from './os.ts';
import { FdReadable, FdWritable, isatty } from './stdio.ts';

function plain(ns: object): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(ns)) o[k] = (ns as Record<string, unknown>)[k];
  return o;
}

export function registerBuiltins(): void {
  provide('fs', () => plain(fs));
  provide('fs/promises', () => (builtin('fs') as { promises: unknown }).promises);
  provide('child_process', () => plain(childProcess));
  provide('net', () => plain(net));
  provide('http', () => plain(http));
  provide('os', () => makeOs(P.getBuiltin('os') as Record<string, unknown>));
  provide('tty', () => ({
    isatty,
    ReadStream: FdReadable,
    WriteStream: FdWritable,
  }));
  provide('isokernel', () => isokernel);
  provide('module', () => {
    const Module = CjsModule as unknown as Record<string, unknown>;
    const unsupported = (what: string) => (): never => {
      throw nodeError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', `module.${what}() is not available in an isokernel process (its loader is the kernel's)`);
    };
    Object.assign(Module, {
      Module, createRequire, builtinModules: builtinNames(), isBuiltin, _cache: requireCache,
      register: unsupported('register'), registerHooks: unsupported('registerHooks'),
      stripTypeScriptTypes: (code: string): string => sys.stripTypes(code),
      syncBuiltinESMExports: (): void => {},
      enableCompileCache: () => ({ status: 3, message: 'not available in isokernel' }),
      getCompileCacheDir: (): undefined => undefined,
      findSourceMap: (): undefined => undefined,
      constants: { compileCacheStatus: { ENABLED: 1, ALREADY_ENABLED: 2, FAILED: 3, DISABLED: 4 } },
    });
    return Module;
  });
}
