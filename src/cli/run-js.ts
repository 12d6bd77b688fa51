// `isokernel run app.js` / `isokernel run app.ts`: a JavaScript or TypeScript file on the host
// runs as a JS process (src/kernel/jsproc/). Its directory and the host's current directory
// are mounted (hostfs) at their own paths, so that the program finds its imports, and the
// files it names, where they are on the host; it runs in the host's current directory.
import fs from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../kernel/kernel.ts';
import { isJsFile, NODE_PROGRAM } from '../kernel/jsproc/program.ts';
import type { Program } from '../kernel/proc/loader.ts';

/** Null unless `name` is a JS/TS file on the host; else what to spawn. */
export function hostScript(kernel: Kernel, name: string, args: readonly string[], covered: (dir: string) => boolean):
  { program: Program; argv: string[]; cwd: string } | null {
  if (!isJsFile(name) || !fs.existsSync(name) || !fs.statSync(name).isFile()) return null;
  const file = path.resolve(name);
  const cwd = process.cwd();
  for (const dir of new Set([cwd, path.dirname(file)])) {
    if (dir === '/' || covered(dir)) continue;
    mkdirs(kernel, dir);
    kernel.mount(dir, { type: 'hostfs', host: dir });
  }
  return { program: NODE_PROGRAM, argv: ['node', file, ...args], cwd };
}

function mkdirs(kernel: Kernel, at: string): void {
  let cur = kernel.ns.root;
  for (const name of at.split('/').filter(Boolean).slice(0, -1)) {
    try {
      cur = kernel.ns.child(cur, name);
    } catch {
      cur = { mount: cur.mount, vnode: cur.vnode.mkdir(name, 0o755) };
    }
  }
}
