// Is a test program's binary built from its current sources? The build scripts
// (tests/*/build.sh) write bin/sources.sha256: a line per input, "HASH  NAME". Hashes, not
// mtimes, because a git checkout gives every file the time of the checkout.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The SHA-256 of a file, hex. */
export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** What `binDir`/sources.sha256 says each input hashed to at the last build (empty if there is none). */
export function builtHashes(binDir: string): Map<string, string> {
  const manifest = join(binDir, 'sources.sha256');
  const built = new Map<string, string>();
  if (existsSync(manifest)) {
    for (const line of readFileSync(manifest, 'utf8').split('\n')) {
      const m = /^([0-9a-f]{64}) +(\S+)$/.exec(line);
      if (m) built.set(m[2]!, m[1]!);
    }
  }
  return built;
}
