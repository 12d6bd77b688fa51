// `isokernel build DIR -o FILE [--no-gzip]`: validates DIR/isokernel.toml, bundles JS/TS
// services that use npm packages, and writes the image file (src/image/archive.ts).
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectEntries, writeImage } from '../image/archive.ts';
import { bundleServices } from '../image/bundle.ts';
import { loadManifest, ManifestError } from '../image/manifest.ts';

const USAGE = 'usage: isokernel build DIR -o FILE [--no-gzip]\n';

export async function build(args: string[]): Promise<number> {
  let dir: string | null = null;
  let out: string | null = null;
  let gzip = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o' || a === '--output') out = args[++i] ?? null;
    else if (a.startsWith('--output=')) out = a.slice(9);
    else if (a === '--no-gzip') gzip = false;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      process.stderr.write(`isokernel build: unknown option ${a}\n${USAGE}`);
      return 2;
    } else if (dir === null) dir = a;
    else {
      process.stderr.write(`isokernel build: one directory only\n${USAGE}`);
      return 2;
    }
  }
  if (dir === null || out === null) {
    process.stderr.write(USAGE);
    return 2;
  }
  dir = resolve(dir);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    process.stderr.write(`isokernel build: ${dir}: not a directory\n`);
    return 1;
  }
  const tomlPath = join(dir, 'isokernel.toml');
  try {
    const manifest = loadManifest(tomlPath, { imageDir: dir });
    const entries = collectEntries(dir, manifest.image.exclude, [out]);
    const bundled = await bundleServices(dir, manifest, entries);
    const digest = await writeImage(out, manifest, readFileSync(tomlPath, 'utf8'), entries, { gzip });
    const size = statSync(out).size;
    const files = entries.filter((e) => e.type === 'file').length;
    process.stdout.write(`${out}: ${manifest.name} ${manifest.version}, ${files} files${bundled.length ? ` (${bundled.length} bundled)` : ''}, ${size} bytes, sha256:${digest}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ManifestError) {
      process.stderr.write(`isokernel build: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`isokernel build: ${(e as Error).message}\n`);
    return 1;
  }
}
