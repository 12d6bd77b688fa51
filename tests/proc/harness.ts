// The process test programs' run specifications (tests/proc/README.md). Each
// `tests/proc/src/NAME.c` has a `// test:` header in the format of tests/guest (parsed by
// tests/guest/harness.ts), plus optional `// proc:` lines for what only these programs
// need. Shared by tests/proc.test.ts (the kernel) and native-run.ts (the host, to check
// that the programs' expectations are POSIX's).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtHashes, sha256 } from '../lib/built.ts';
import { type GuestSpec, parseSpec } from '../guest/harness.ts';

export { type GuestResult, mismatches, SCRATCH_PATH } from '../guest/harness.ts';

export const PROC_DIR = dirname(fileURLToPath(import.meta.url));
export const SRC_DIR = join(PROC_DIR, 'src');
export const BIN_DIR = join(PROC_DIR, 'bin');
export const ROOT_DIR = join(PROC_DIR, '..', '..');
/** Where the kernel runner serves BIN_DIR (read-only); programs run as /t/NAME.wasm. */
export const GUEST_BIN_PATH = '/t';
/** The stand-in shell the kernel runner serves as /bin/sh (tests/proc/src/helper_sh.c). */
export const SHELL_WASM = join(BIN_DIR, 'helper_sh.wasm');

export interface ProcSpec extends GuestSpec {
  /** Why the program is not run natively (native-check.sh), or null. */
  nativeSkip: string | null;
}

/** Programs named helper* are children the tests spawn, not tests. */
export function isHelper(name: string): boolean {
  return name.startsWith('helper');
}

/** Every test program's source (helpers excluded), sorted by name. */
export function listProcSources(): string[] {
  return readdirSync(SRC_DIR)
    .filter((f) => f.endsWith('.c') && !isHelper(f.slice(0, -2)))
    .sort()
    .map((f) => join(SRC_DIR, f));
}

const PROC_KEYS = new Set(['native']);

/**
 * Reads a program's headers. `// test:` lines as tests/guest/README.md says (`dirs` is not
 * used: the runner always mounts a tmpfs at /scratch and preopens only /); `// proc:`
 * lines take `native=skip REASON`. argv[0] is the program's path in the kernel,
 * /t/NAME.wasm. Throws on a malformed header.
 */
export function parseProcSpec(source: string): ProcSpec {
  const base = parseSpec(source);
  const spec: ProcSpec = {
    ...base,
    wasm: join(BIN_DIR, `${base.name}.wasm`),
    args: [`${GUEST_BIN_PATH}/${base.name}.wasm`, ...base.args.slice(1)],
    nativeSkip: null,
  };
  const text = readFileSync(source, 'utf8');
  for (const [, header] of text.matchAll(/^\/\/ proc:(.*)$/gm)) {
    for (const field of header!.split(';')) {
      if (field.trim() === '') continue;
      const eq = field.indexOf('=');
      const key = field.slice(0, eq).trim();
      if (eq < 0 || !PROC_KEYS.has(key)) throw new Error(`${base.name}.c: bad proc header field "${field.trim()}"`);
      const value = field.slice(eq + 1).trim();
      const m = /^skip\s+(\S.*)$/.exec(value);
      if (!m) throw new Error(`${base.name}.c: native= wants "skip REASON", got "${value}"`);
      spec.nativeSkip = m[1]!;
    }
  }
  return spec;
}

/**
 * Files whose built programs are missing or stale. bin/sources.sha256 (written by
 * build.sh) names each source (helpers too), src/proc_test.h, include/isokernel.h and
 * lib/libisokernel.a with the hash they had when the programs were built.
 */
export function staleProcBinaries(): string[] {
  const built = builtHashes(BIN_DIR);
  const stale: string[] = [];
  const shared: [string, string][] = [
    ['proc_test.h', join(SRC_DIR, 'proc_test.h')],
    ['include/isokernel.h', join(ROOT_DIR, 'include', 'isokernel.h')],
    ['lib/libisokernel.a', join(ROOT_DIR, 'lib', 'libisokernel.a')],
  ];
  for (const [key, file] of shared) {
    if (!existsSync(file)) stale.push(`${key} (missing)`);
    else if (built.get(key) !== sha256(file)) stale.push(`${key} (changed since build.sh ran: every program)`);
  }
  for (const f of readdirSync(SRC_DIR).filter((f) => f.endsWith('.c')).sort()) {
    const wasm = f.replace(/\.c$/, '.wasm');
    if (!existsSync(join(BIN_DIR, wasm))) stale.push(`${f} (no bin/${wasm})`);
    else if (built.get(f) !== sha256(join(SRC_DIR, f))) stale.push(`${f} (changed since build.sh built it)`);
  }
  return stale;
}
