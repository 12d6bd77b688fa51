// An on-disk cache of instrumented modules, so that a program is rewritten once per machine
// and not at every start of the host process (the rewrite of the 190 KiB /bin/sh costs about
// 150 ms of CPU; reading it back, well under 1 ms).
//
// An entry is two files named by a key: KEY.wasm (the instrumented bytes) and KEY.json (its
// ProtectionRecord). The key is a SHA-256 of the original module's hash, the instrumentation
// variant and the rewriter's own source, so a change to the rewriter never meets an entry of
// an older one. Files are written to a temporary name and renamed, so a reader sees a whole
// entry or none; a damaged entry (bad JSON, a module V8 rejects) is ignored and rewritten.
//
// Where: $ISOKERNEL_CACHE_DIR, else $XDG_CACHE_HOME/isokernel/modules, else
// ~/.cache/isokernel/modules, made with mode 0700. ISOKERNEL_CACHE_DIR=off turns it off. The
// cache holds code the kernel will run with the user's trust in their own home directory: who
// can write there can already run anything as the user.
import { createHash } from 'node:crypto';
import dc from 'node:diagnostics_channel';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ProtectionRecord } from './instrument.ts';

/** { op: 'read' | 'write', path, error } when the cache cannot be used (the load goes on without it). */
export const moduleCacheError = dc.channel('isokernel:proc:module-cache');

/** The rewriter's identity: its sources, hashed once. */
const REWRITER = (() => {
  const h = createHash('sha256');
  for (const f of ['instrument.ts', 'instrument-wasm.ts', 'wasm-binary.ts']) {
    try {
      h.update(readFileSync(new URL(`./${f}`, import.meta.url)));
    } catch {
      h.update(`missing ${f}`);
    }
  }
  return h.digest('hex');
})();

function defaultDir(): string | null {
  const env = process.env.ISOKERNEL_CACHE_DIR;
  if (env === 'off') return null;
  if (env) return env;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'isokernel', 'modules');
}

export interface CachedModule {
  bytes: Uint8Array;
  record: ProtectionRecord;
}

export class ModuleCache {
  private broken = false;
  readonly dir: string | null;

  constructor(dir: string | null = defaultDir()) {
    this.dir = dir;
  }

  /** The key of an entry: the original module's SHA-256 (hex) and the variant. */
  key(moduleHash: string, variant: string): string {
    return createHash('sha256').update(`${REWRITER}\0${moduleHash}\0${variant}`).digest('hex');
  }

  async get(key: string): Promise<CachedModule | null> {
    if (this.dir === null) return null;
    try {
      const [bytes, json] = await Promise.all([readFile(join(this.dir, `${key}.wasm`)), readFile(join(this.dir, `${key}.json`), 'utf8')]);
      const record = JSON.parse(json) as ProtectionRecord;
      if (typeof record !== 'object' || record === null || typeof record.guard !== 'number' || typeof record.funcImports !== 'number') return null;
      return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), record };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') moduleCacheError.publish({ op: 'read', path: this.dir, error: e });
      return null;
    }
  }

  /**
   * Stores an entry. Synchronous on purpose (about a millisecond, once per module): the host
   * process may exit right after the program it loaded, before asynchronous writes finish.
   * Failures only publish on moduleCacheError.
   */
  put(key: string, bytes: Uint8Array, record: ProtectionRecord): void {
    const dir = this.dir;
    if (dir === null || this.broken) return;
    const tmp = join(dir, `.${key}.${process.pid}.${Math.random().toString(36).slice(2)}`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // The record first: an entry is complete once its .wasm is there.
      writeFileSync(`${tmp}.json`, JSON.stringify(record), { mode: 0o600 });
      renameSync(`${tmp}.json`, join(dir, `${key}.json`));
      writeFileSync(`${tmp}.wasm`, bytes, { mode: 0o600 });
      renameSync(`${tmp}.wasm`, join(dir, `${key}.wasm`));
    } catch (e) {
      this.broken = true; // one report, then no more tries in this process
      moduleCacheError.publish({ op: 'write', path: dir, error: e });
    }
  }
}
