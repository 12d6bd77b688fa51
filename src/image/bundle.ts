// Bundling JS/TS service programs at build time (esbuild): a program that imports npm
// packages becomes one ES module file beside it (NAME.bundle.mjs), and the manifest's
// program is pointed at it, so the image carries no node_modules tree (archive.ts leaves
// node_modules out). The kernel's own modules stay imports: `isokernel` and Node's
// built-ins (the JS runtime provides them, docs/jsproc.md). CommonJS dependencies that
// require() a built-in get a `require` made by module.createRequire.
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import posix from 'node:path/posix';
import type { Manifest } from './manifest-types.ts';
import type { ImageEntry } from './archive.ts';

const JS = /\.(c|m)?(j|t)s$/;

function hasNodeModules(imageDir: string, fileDir: string): boolean {
  for (let d = fileDir; d.startsWith(imageDir); d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) return true;
    if (d === imageDir) break;
  }
  return false;
}

/**
 * Bundles each service program that is JS/TS inside an image mount and can see a
 * node_modules directory; adds the bundles to `entries` and repoints the manifest.
 * Returns the guest paths bundled. Throws an Error with esbuild's messages on failure.
 */
export async function bundleServices(imageDir: string, manifest: Manifest, entries: ImageEntry[]): Promise<string[]> {
  const done: string[] = [];
  for (const s of manifest.services) {
    if (!JS.test(s.program)) continue;
    const m = manifest.mounts.find((m) => m.type === 'image' && s.program.startsWith(m.path + '/'));
    if (!m) continue;
    const relInImage = posix.join(m.source, s.program.slice(m.path.length + 1));
    const host = join(imageDir, relInImage);
    if (!existsSync(host) || !hasNodeModules(imageDir, dirname(host))) continue;
    const esbuild = await import('esbuild');
    let out;
    try {
      out = await esbuild.build({
        entryPoints: [host], bundle: true, platform: 'node', format: 'esm', target: 'node22', write: false,
        external: ['isokernel'], logLevel: 'silent', legalComments: 'none',
        banner: { js: "import { createRequire as __iskCreateRequire } from 'node:module'; const require = __iskCreateRequire(import.meta.url);" },
      });
    } catch (e) {
      const errs = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors ?? [];
      const msg = errs.map((x) => (x.location ? `${x.location.file}:${x.location.line}:${x.location.column}: ` : '') + x.text).join('\n');
      throw new Error(`bundling service ${s.name} (${relInImage}) failed:\n${msg || (e as Error).message}`);
    }
    const bundleRel = relInImage.replace(JS, '.bundle.mjs');
    const i = entries.findIndex((e) => e.path === bundleRel);
    // The bundle runs as the source did: with its mode (spawn wants the execute bit).
    const entry: ImageEntry = { type: 'file', path: bundleRel, mode: statSync(host).mode & 0o7777, data: out.outputFiles[0]!.contents };
    if (i >= 0) entries[i] = entry;
    else entries.push(entry);
    s.program = s.program.replace(JS, '.bundle.mjs');
    done.push(s.program);
  }
  return done;
}
