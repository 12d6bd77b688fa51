// The module loader of a JS process: CommonJS and ES modules, resolved and read only from the
// kernel's namespace (through system calls), compiled with the worker's vm primitives
// (vm.compileFunction for CommonJS, vm.SourceTextModule for ES modules). Node's own loader
// is never reachable from a program: it would read host files and its Module class
// compiles strings.
//
// Node's rules, as far as they go here:
//   - require: relative and absolute paths, then the extensions .js .json .node .ts .cts .mts,
//     then a directory's package.json "main" or index; bare names from node_modules upwards,
//     with package.json "exports" (conditions require, node, default) or "main".
//   - import: exact paths and file: URLs; bare names with "exports" (import, node, default).
//   - format: .mjs/.mts ES, .cjs/.cts CommonJS, .json JSON, .js/.ts by the nearest
//     package.json "type", else CommonJS unless it will not parse as such and uses ES
//     syntax (Node's detection). .ts files are stripped of their types by the kernel.
//   - interop: import of CommonJS gives `default` = module.exports and its own keys as named
//     exports (evaluated when the importing graph is linked, a little earlier than Node);
//     require of an ES module gives its namespace (or its "module.exports" export), unless
//     it has top-level await (ERR_REQUIRE_ASYNC_MODULE); import() works from both.
//   - .node addons are refused (native code).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { E } from '../abi/wasi.ts';
import { builtin, isBuiltin } from './builtins.ts';
import { SysErr, hostAccessError, nodeError } from './errors.ts';
import { rememberSource } from './sources.ts';
import * as sys from './sys.ts';

const posix = path.posix;
type Format = 'cjs' | 'esm' | 'json' | 'addon';

/** A CommonJS module, as the `module` a program sees. */
export class CjsModule {
  id: string;
  filename: string;
  path: string;
  exports: unknown = {};
  loaded = false;
  children: CjsModule[] = [];
  paths: string[];
  parent: CjsModule | null | undefined;
  require!: NodeRequire;
  constructor(filename: string, parent: CjsModule | null) {
    this.id = filename;
    this.filename = filename;
    this.path = posix.dirname(filename);
    this.paths = nodeModulePaths(this.path);
    this.parent = parent;
    parent?.children.push(this);
  }
}

/** require.cache: loaded CommonJS modules by filename. */
export const requireCache: Record<string, CjsModule> = Object.create(null) as Record<string, CjsModule>;
const esmCache = new Map<string, vm.Module>();
const builtinModules = new Map<string, vm.Module>();
let mainFile: string | null = null;
let mainModule: CjsModule | undefined;

// ---- the file system, as the loader needs it ----

function kind(p: string): 'file' | 'dir' | null {
  try {
    const st = sys.stat(p, true);
    return st.filetype === 3 ? 'dir' : 'file';
  } catch (e) {
    if (e instanceof SysErr) return null;
    throw e;
  }
}

const TS = /\.[cm]?ts$/;

function readSource(file: string): string {
  let src = sys.readFile(file).toString('utf8');
  if (src.charCodeAt(0) === 0xfeff) src = src.slice(1);
  if (src.startsWith('#!')) src = '//' + src.slice(2);
  if (TS.test(file)) src = sys.stripTypes(src);
  rememberSource(file, src);
  return src;
}

interface PackageJson {
  name?: string;
  main?: string;
  type?: string;
  exports?: unknown;
  imports?: unknown;
}
const packages = new Map<string, PackageJson | null>();

function readPackage(dir: string): PackageJson | null {
  let pkg = packages.get(dir);
  if (pkg !== undefined) return pkg;
  pkg = null;
  const file = posix.join(dir, 'package.json');
  if (kind(file) === 'file') {
    try {
      pkg = JSON.parse(sys.readFile(file).toString('utf8')) as PackageJson;
    } catch (e) {
      const err = nodeError(Error, 'ERR_INVALID_PACKAGE_CONFIG', `Invalid package config ${file}: ${(e as Error).message}`);
      throw err;
    }
  }
  packages.set(dir, pkg);
  return pkg;
}

/** The nearest package.json's directory and contents, from `dir` upwards (not past node_modules). */
function packageScope(dir: string): [string, PackageJson] | null {
  for (let d = dir; ; d = posix.dirname(d)) {
    const pkg = readPackage(d);
    if (pkg) return [d, pkg];
    if (d === '/' || posix.basename(d) === 'node_modules') return null;
  }
}

function nodeModulePaths(from: string): string[] {
  const out: string[] = [];
  for (let d = from; ; d = posix.dirname(d)) {
    if (posix.basename(d) !== 'node_modules') out.push(posix.join(d, 'node_modules'));
    if (d === '/') break;
  }
  return out;
}

const ESM_SYNTAX = /Cannot use import statement outside a module|Unexpected token 'export'|Cannot use 'import\.meta' outside a module|await is only valid in async functions and the top level bodies of modules/;

function formatOf(file: string, source: () => string): Format {
  if (/\.m[jt]s$/.test(file)) return 'esm';
  if (/\.c[jt]s$/.test(file)) return 'cjs';
  if (file.endsWith('.json')) return 'json';
  if (file.endsWith('.node')) return 'addon';
  const scope = packageScope(posix.dirname(file));
  if (scope?.[1].type === 'module') return 'esm';
  if (scope?.[1].type === 'commonjs') return 'cjs';
  // No "type": Node's syntax detection (the function compiled is kept for loadCjs).
  try {
    detected.set(file, compileCjs(source(), file));
    return 'cjs';
  } catch (e) {
    if (e instanceof SyntaxError && ESM_SYNTAX.test(e.message)) return 'esm';
    return 'cjs';
  }
}

// ---- resolution ----

const REQUIRE_EXTS = ['.js', '.json', '.node', '.ts', '.cts', '.mts'];

function tryFile(p: string): string | null {
  return kind(p) === 'file' ? p : null;
}

function tryExtensions(p: string): string | null {
  for (const ext of REQUIRE_EXTS) {
    const f = tryFile(p + ext);
    if (f) return f;
  }
  return null;
}

function tryDirectory(p: string): string | null {
  if (kind(p) !== 'dir') return null;
  const pkg = readPackage(p);
  if (pkg && typeof pkg.main === 'string' && pkg.main !== '') {
    const m = posix.resolve(p, pkg.main);
    const f = tryFile(m) ?? tryExtensions(m) ?? tryExtensions(posix.join(m, 'index'));
    if (f) return f;
  }
  return tryExtensions(posix.join(p, 'index'));
}

function notFound(request: string, parent: string | null, esm: boolean): Error {
  if (esm) {
    return nodeError(Error, 'ERR_MODULE_NOT_FOUND',
      `Cannot find ${request.startsWith('.') || request.startsWith('/') ? 'module' : 'package'} '${request}'` +
      (parent ? ` imported from ${parent}` : ''));
  }
  const stack: string[] = [];
  for (let m: CjsModule | null | undefined = parent ? requireCache[parent] : undefined; m; m = m.parent) stack.push(m.filename);
  const e = nodeError(Error, 'MODULE_NOT_FOUND', `Cannot find module '${request}'` +
    (stack.length > 0 ? `\nRequire stack:\n- ${stack.join('\n- ')}` : '')) as Error & { requireStack: string[] };
  e.requireStack = stack;
  return e;
}

function splitPackage(spec: string): [string, string] {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  return [parts.slice(0, n).join('/'), parts.length > n ? './' + parts.slice(n).join('/') : '.'];
}

function exportsTarget(dir: string, target: unknown, star: string | null, conditions: readonly string[]): string | null {
  if (typeof target === 'string') {
    if (!target.startsWith('./')) return null;
    return posix.join(dir, star === null ? target : target.replaceAll('*', star));
  }
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = exportsTarget(dir, t, star, conditions);
      if (r) return r;
    }
    return null;
  }
  if (target && typeof target === 'object') {
    for (const [cond, t] of Object.entries(target)) {
      if (cond === 'default' || conditions.includes(cond)) {
        const r = exportsTarget(dir, t, star, conditions);
        if (r) return r;
      }
    }
  }
  return null;
}

/** package.json "exports" (or "imports", for '#' names): the file for `sub`, or null. */
function resolveMap(dir: string, map: unknown, sub: string, conditions: readonly string[]): string | null {
  let m = map;
  if (typeof m === 'string' || Array.isArray(m) || (m && typeof m === 'object' && !Object.keys(m).some((k) => k.startsWith('.') || k.startsWith('#')))) {
    m = { '.': m };
  }
  if (!m || typeof m !== 'object') return null;
  const entries = m as Record<string, unknown>;
  if (Object.hasOwn(entries, sub)) return exportsTarget(dir, entries[sub], null, conditions);
  let best: string | null = null;
  for (const key of Object.keys(entries)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const pre = key.slice(0, star);
    const post = key.slice(star + 1);
    if (sub.startsWith(pre) && sub.endsWith(post) && sub.length >= key.length - 1 && (best === null || pre.length > best.indexOf('*'))) best = key;
  }
  if (best === null) return null;
  const star = best.indexOf('*');
  return exportsTarget(dir, entries[best], sub.slice(star, sub.length - (best.length - star - 1)), conditions);
}

function resolvePackage(spec: string, fromDir: string, conditions: readonly string[], esm: boolean): string | null {
  if (spec.startsWith('#')) {
    const scope = packageScope(fromDir);
    if (!scope || scope[1].imports === undefined) return null;
    return resolveMap(scope[0], scope[1].imports, spec, conditions);
  }
  const [name, sub] = splitPackage(spec);
  for (const nm of nodeModulePaths(fromDir)) {
    const dir = posix.join(nm, name);
    if (kind(dir) !== 'dir') continue;
    const pkg = readPackage(dir);
    if (pkg && pkg.exports !== undefined && pkg.exports !== null) {
      const f = resolveMap(dir, pkg.exports, sub, conditions);
      if (f && kind(f) === 'file') return f;
      throw nodeError(Error, 'ERR_PACKAGE_PATH_NOT_EXPORTED',
        sub === '.' ? `No "exports" main defined in ${dir}/package.json` : `Package subpath '${sub}' is not defined by "exports" in ${dir}/package.json`);
    }
    const p = posix.join(dir, sub);
    const f = esm && sub !== '.' ? tryFile(p) : tryFile(p) ?? tryExtensions(p) ?? tryDirectory(p);
    if (f) return f;
  }
  return null;
}

type Resolved = { builtin: string } | { file: string };

export function resolveRequire(request: string, parentFile: string | null): Resolved {
  if (typeof request !== 'string' || request === '') {
    throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument 'id' must be a non-empty string. Received ${String(request)}`);
  }
  if (request === 'isokernel' || isBuiltin(request)) return { builtin: request };
  const fromDir = parentFile ? posix.dirname(parentFile) : sys.currentCwd();
  let f: string | null;
  if (request.startsWith('./') || request.startsWith('../') || request.startsWith('/') || request === '.' || request === '..') {
    const p = posix.resolve(fromDir, request);
    f = (request.endsWith('/') ? null : tryFile(p) ?? tryExtensions(p)) ?? tryDirectory(p);
  } else {
    f = resolvePackage(request, fromDir, ['require', 'node', 'node-addons'], false);
  }
  if (!f) throw notFound(request, parentFile, false);
  return { file: f };
}

export function resolveImport(spec: string, parentFile: string | null): Resolved {
  if (spec === 'isokernel' || spec.startsWith('node:') || isBuiltin(spec)) return { builtin: spec };
  const fromDir = parentFile ? posix.dirname(parentFile) : sys.currentCwd();
  let f: string | null;
  if (spec.startsWith('file:')) f = tryFile(fileURLToPath(spec));
  else if (spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/') || spec === '.' || spec === '..') {
    f = tryFile(posix.resolve(fromDir, decodeURIComponent(spec.split(/[?#]/)[0]!)));
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(spec)) {
    throw nodeError(Error, 'ERR_UNSUPPORTED_ESM_URL_SCHEME', `Only file: and node: URLs are supported by the isokernel loader. Received protocol '${spec.slice(0, spec.indexOf(':') + 1)}'`);
  } else {
    f = resolvePackage(spec, fromDir, ['import', 'node', 'node-addons'], true);
  }
  if (!f) throw notFound(spec, parentFile ? pathToFileURL(parentFile).href : null, true);
  return { file: f };
}

// ---- CommonJS ----

const CJS_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

function loadBuiltin(name: string): unknown {
  const m = builtin(name);
  if (m === undefined) throw notFound(name, null, false);
  return m;
}

export function makeRequire(mod: CjsModule | null, file: string | null): NodeRequire {
  const require = function require(id: string): unknown {
    const r = resolveRequire(id, file);
    if ('builtin' in r) return loadBuiltin(r.builtin);
    return loadCjs(r.file, mod);
  } as NodeRequire;
  const resolve = function resolve(id: string, _opts?: unknown): string {
    const r = resolveRequire(id, file);
    return 'builtin' in r ? r.builtin : r.file;
  } as NodeJS.RequireResolve;
  resolve.paths = (id: string): string[] | null => (isBuiltin(id) ? null : nodeModulePaths(file ? posix.dirname(file) : sys.currentCwd()));
  require.resolve = resolve;
  require.cache = requireCache as unknown as NodeJS.Require['cache'];
  require.main = mainModule as NodeJS.Module | undefined;
  require.extensions = Object.create(null) as NodeJS.RequireExtensions;
  return require;
}

function loadCjs(file: string, parent: CjsModule | null): unknown {
  const cached = requireCache[file];
  if (cached) return cached.exports;
  const fmt = formatOf(file, () => readSource(file));
  if (fmt === 'addon') throw hostAccessError(`The native addon ${file}`, 'native code');
  const m = new CjsModule(file, parent);
  m.require = makeRequire(m, file);
  requireCache[file] = m;
  let ok = false;
  try {
    if (fmt === 'json') {
      const text = sys.readFile(file).toString('utf8');
      try {
        m.exports = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      } catch (e) {
        (e as Error).message = `${file}: ${(e as Error).message}`;
        throw e;
      }
    } else if (fmt === 'esm') {
      m.exports = requireEsm(file);
    } else {
      const fn = compileCjs(readSource(file), file);
      fn.call(m.exports, m.exports, m.require, m, file, posix.dirname(file));
    }
    ok = true;
  } finally {
    if (!ok) delete requireCache[file];
  }
  m.loaded = true;
  return m.exports;
}

/** CommonJS functions compiled by the format detection, taken by their first load. */
const detected = new Map<string, Function>();

function compileCjs(source: string, file: string): Function {
  const done = detected.get(file);
  if (done) {
    detected.delete(file);
    return done;
  }
  return vm.compileFunction(source, CJS_PARAMS, {
    filename: file,
    importModuleDynamically: ((spec: string) => dynamicImport(spec, file)) as never,
  });
}

// ---- ES modules ----

function syntheticFrom(value: unknown, id: string, names: string[]): vm.Module {
  const exported = names.filter((n) => n !== 'default');
  return new vm.SyntheticModule(['default', ...exported], function (this: vm.SyntheticModule) {
    this.setExport('default', value);
    for (const n of exported) this.setExport(n, (value as Record<string, unknown>)[n]);
  }, { identifier: id });
}

function keysOf(v: unknown): string[] {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return [];
  return Object.keys(v).filter((k) => k !== '');
}

function builtinEsm(name: string): vm.Module {
  const key = name.startsWith('node:') ? name.slice(5) : name;
  let m = builtinModules.get(key);
  if (!m) {
    const mod = loadBuiltin(name);
    m = syntheticFrom(mod, `node:${key}`, keysOf(mod));
    builtinModules.set(key, m);
  }
  return m;
}

function esmModule(file: string, given?: string): vm.Module {
  let m = esmCache.get(file);
  if (m) return m;
  const source = (): string => given ?? readSource(file);
  const fmt = given !== undefined ? 'esm' : formatOf(file, source);
  const url = pathToFileURL(file).href;
  if (fmt === 'addon') throw hostAccessError(`The native addon ${file}`, 'native code');
  if (fmt === 'json') {
    const v = JSON.parse(sys.readFile(file).toString('utf8')) as unknown;
    m = syntheticFrom(v, url, []);
    esmCache.set(file, m);
    return m;
  }
  if (fmt === 'cjs') {
    const exp = loadCjs(file, null);
    m = syntheticFrom(exp, url, keysOf(exp));
    esmCache.set(file, m);
    return m;
  }
  const stm = new vm.SourceTextModule(source(), {
    identifier: url,
    initializeImportMeta: (meta: ImportMeta) => {
      meta.url = url;
      meta.filename = file;
      meta.dirname = posix.dirname(file);
      meta.resolve = (spec: string): string => {
        const r = resolveImport(spec, file);
        return 'builtin' in r ? (r.builtin.startsWith('node:') || r.builtin === 'isokernel' ? r.builtin : `node:${r.builtin}`) : pathToFileURL(r.file).href;
      };
      (meta as { main?: boolean }).main = file === mainFile;
    },
    importModuleDynamically: ((spec: string) => dynamicImport(spec, file)) as never,
  });
  esmCache.set(file, stm);
  try {
    stm.linkRequests(stm.moduleRequests.map((r) => {
      const res = resolveImport(r.specifier, file);
      return 'builtin' in res ? builtinEsm(res.builtin) : esmModule(res.file);
    }));
  } catch (e) {
    esmCache.delete(file);
    throw e;
  }
  return stm;
}

/** require() of an ES module: its namespace, evaluated synchronously. */
function requireEsm(file: string): unknown {
  const m = esmModule(file);
  if (m.status === 'unlinked') (m as vm.SourceTextModule).instantiate();
  if (m.status === 'linked') {
    if (m instanceof vm.SourceTextModule && m.hasAsyncGraph()) {
      throw nodeError(Error, 'ERR_REQUIRE_ASYNC_MODULE', `require() cannot be used on an ESM graph with top-level await. Use import() instead.\n  From ${file}`);
    }
    void m.evaluate().catch(() => {});
  }
  if (m.status === 'errored') throw m.error;
  const ns = m.namespace as Record<string, unknown>;
  return Object.hasOwn(ns, 'module.exports') ? ns['module.exports'] : ns;
}

async function dynamicImport(spec: string, fromFile: string | null): Promise<unknown> {
  const r = resolveImport(spec, fromFile);
  const m = 'builtin' in r ? builtinEsm(r.builtin) : esmModule(r.file);
  if (m.status === 'unlinked') {
    if (m instanceof vm.SourceTextModule) m.instantiate();
    else await m.link(() => {
      throw new Error('a synthetic module has no imports');
    });
  }
  await m.evaluate();
  return m.namespace;
}

// ---- the main module ----

export interface MainSpec {
  /** An absolute guest path: the program. */
  file: string;
  /** Its source, when the kernel read it already (a host file). */
  source?: string;
  /** `node -e`: the source of an ES module or of a script; file is then a pseudo-name. */
  inline?: { source: string; esm: boolean; print: boolean };
}

/** Finds `node SCRIPT`'s script as Node does: a path from the cwd, with require's extensions. */
export function resolveMain(script: string): string {
  const p = posix.resolve(sys.currentCwd(), script);
  const f = tryFile(p) ?? tryExtensions(p) ?? tryDirectory(p);
  if (!f) throw notFound(p, null, false);
  return f;
}

/** Runs the program's main module. An error is thrown (or, for ES modules, rejected) uncaught. */
export function runMain(spec: MainSpec): void {
  mainFile = spec.file;
  if (spec.inline) {
    const { source, esm, print } = spec.inline;
    rememberSource(spec.file, source);
    if (esm) {
      const m = new vm.SourceTextModule(source, {
        identifier: spec.file,
        initializeImportMeta: (meta: ImportMeta) => {
          meta.url = pathToFileURL(posix.join(sys.currentCwd(), '[eval1]')).href;
        },
        importModuleDynamically: ((s: string) => dynamicImport(s, posix.join(sys.currentCwd(), '[eval]'))) as never,
      });
      m.linkRequests(m.moduleRequests.map((r) => {
        const res = resolveImport(r.specifier, posix.join(sys.currentCwd(), '[eval]'));
        // (the pseudo-file only gives the directory imports resolve from)
        return 'builtin' in res ? builtinEsm(res.builtin) : esmModule(res.file);
      }));
      m.instantiate();
      void m.evaluate();
      return;
    }
    const pseudo = posix.join(sys.currentCwd(), '[eval]');
    const mod = new CjsModule(pseudo, null);
    mod.filename = pseudo;
    mod.id = '[eval]';
    mod.require = makeRequire(mod, pseudo);
    mainModule = mod;
    const body = print ? `return (${source}\n)` : source;
    const fn = vm.compileFunction(body, CJS_PARAMS, {
      filename: '[eval]',
      importModuleDynamically: ((s: string) => dynamicImport(s, pseudo)) as never,
    });
    const r = fn.call(mod.exports, mod.exports, mod.require, mod, '[eval]', '.');
    if (print) console.log(r);
    return;
  }
  const file = spec.file;
  if (spec.source !== undefined) {
    let src = spec.source;
    if (src.startsWith('#!')) src = '//' + src.slice(2);
    rememberSource(file, src);
  }
  const fmt = formatOf(file, () => spec.source ?? readSource(file));
  if (fmt === 'esm') {
    const m = esmModule(file, spec.source);
    if (m.status === 'unlinked') (m as vm.SourceTextModule).instantiate();
    void m.evaluate();
    return;
  }
  const mod = new CjsModule(file, null);
  mod.id = '.';
  mod.require = makeRequire(mod, file);
  mainModule = mod;
  mod.require.main = mod as unknown as NodeJS.Module;
  (process as { mainModule?: unknown }).mainModule = mod;
  requireCache[file] = mod;
  if (fmt === 'json') {
    mod.exports = JSON.parse(spec.source ?? sys.readFile(file).toString('utf8'));
  } else if (fmt === 'addon') {
    throw hostAccessError(`The native addon ${file}`, 'native code');
  } else {
    const fn = compileCjs(spec.source ?? readSource(file), file);
    fn.call(mod.exports, mod.exports, mod.require, mod, file, posix.dirname(file));
  }
  mod.loaded = true;
}

/** module.createRequire. */
export function createRequire(from: string | URL): NodeRequire {
  const file = typeof from === 'string' ? (from.startsWith('file:') ? fileURLToPath(from) : from) : fileURLToPath(from);
  if (!file.startsWith('/')) {
    throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received '${file}'`);
  }
  return makeRequire(requireCache[file] ?? null, file);
}

export function errnoIsMissing(e: unknown): boolean {
  return e instanceof SysErr && (e.errno === E.NOENT || e.errno === E.NOTDIR);
}
