// isokernel.toml → Manifest (manifest-types.ts), or a refusal that says where and why.
//
// Three passes: smol-toml parses (its syntax errors carry line and column); the validator
// below walks the parsed tables with the field path it is at (`services.web.restart`),
// checks each value against what the field takes, fills in the defaults, and collects every
// error instead of stopping at the first; scanPositions (toml-positions.ts) gives each error
// the line and column of the key or value it is about. Unknown keys get the nearest known
// key as a suggestion (edit distance), unknown service names in depends_on the nearest
// service; a dependency cycle is refused naming the whole cycle.
//
// docs/manifest.md is the reference of every field.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import posix from 'node:path/posix';
import { Cron } from 'croner';
import { distance } from 'fastest-levenshtein';
import { parse, TomlError } from 'smol-toml';
import { SIG, type SignalName } from '../abi/signals.ts';
import type { Limits } from '../kernel/proc/process.ts';
import type {
  CronJob, LogConfig, LogFile, Manifest, MountEntry, MetricsConfig, NetworkConfig, Readiness, RemoteSyslog, RestartPolicy, Service,
} from './manifest-types.ts';
import { checkListen } from '../metrics/listen.ts';
import { pathKey, scanPositions, type Pos, type Seg, type Where } from './toml-positions.ts';

export interface ManifestProblem {
  file: string;
  line: number;
  column: number;
  /** The field path (`services.web.restart`), '' for the document. */
  path: string;
  message: string;
}

/** A manifest refused: every problem found, each with file, line, column and field. */
export class ManifestError extends Error {
  readonly problems: ManifestProblem[];
  constructor(problems: ManifestProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ManifestError';
    this.problems = problems;
  }
}

export function formatProblem(p: ManifestProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path ? p.path + ': ' : ''}${p.message}`;
}

/** Reads and validates a manifest file. Throws ManifestError (an unreadable file too). */
export function loadManifest(file: string, opts: { imageDir?: string } = {}): Manifest {
  let src: string;
  try {
    src = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestError([{ file, line: 0, column: 0, path: '', message: `cannot read: ${(e as Error).message}` }]);
  }
  return parseManifest(src, file, opts);
}

/** Validates manifest source text; `file` names it in errors. Throws ManifestError. */
export function parseManifest(src: string, file = 'isokernel.toml', opts: { imageDir?: string } = {}): Manifest {
  let doc: Record<string, unknown>;
  try {
    doc = parse(src) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new ManifestError([{ file, line: e.line, column: e.column, path: '', message: `TOML syntax: ${first}` }]);
    }
    throw e;
  }
  const v = new Validator(file, scanPositions(src), opts.imageDir ?? null);
  const m = v.manifest(doc);
  if (v.problems.length) throw new ManifestError(v.problems.sort((a, b) => a.line - b.line || a.column - b.column));
  return m;
}

// ---- units ----

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1000 ** 4, tib: 1024 ** 4,
};

/** "30s", "5m", "1h30m", "250ms", "1d", "2w" → ms; null if not a duration. */
export function parseDuration(s: string): number | null {
  const t = s.trim();
  if (t === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    end = re.lastIndex;
  }
  return end === t.length && end > 0 ? Math.round(total) : null;
}

/** "10MiB", "1G", "512k", "100" → bytes (K, M, G, T and KiB... are powers of 1024; KB, MB... of 1000); null if not a size. */
export function parseSize(s: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(s.trim());
  if (!m) return null;
  const unit = SIZE_UNITS[m[2]!.toLowerCase()];
  return unit === undefined ? null : Math.floor(Number(m[1]) * unit);
}

const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
const SEVERITY_ALIASES: Record<string, number> = { panic: 0, error: 3, warn: 4 };
const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];
const RESTART: readonly RestartPolicy[] = ['no', 'on-failure', 'always'];
/** Paths boot mounts or fills itself (/etc and /usr only as such: /etc/myapp is fine). */
const RESERVED_WHY: Record<string, string> = {
  '/dev': 'devices', '/sbin': 'init, syslogd, crond, httpd', '/bin': 'the userland', '/usr': 'the userland',
  '/usr/bin': 'the userland', '/proc': 'procfs', '/etc': '/etc/isokernel is made at boot', '/etc/isokernel': 'the manifest',
};
const RESERVED = Object.keys(RESERVED_WHY);
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The nearest candidate within a small edit distance, or null. */
export function suggest(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  const max = word.length <= 2 ? 1 : Math.max(2, Math.min(3, Math.floor(word.length / 3)));
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) { best = c; bestD = d; }
  }
  return bestD <= max ? best : null;
}

const q = (s: string): string => JSON.stringify(s);
const oneOf = (xs: readonly string[]): string => `expected one of ${xs.map(q).join(', ')}`;
const show = (x: unknown): string => {
  if (typeof x === 'string') return q(x);
  if (Array.isArray(x)) return 'an array';
  if (x instanceof Date) return 'a date';
  if (typeof x === 'object' && x !== null) return 'a table';
  return String(x);
};

type Table = Record<string, unknown>;
const isTable = (x: unknown): x is Table => typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Date);

class Validator {
  readonly problems: ManifestProblem[] = [];
  private readonly file: string;
  private readonly where: Map<string, Where>;
  /** The image's host directory, to check that programs exist in it; null: not checked. */
  private readonly imageDir: string | null;
  /** The guest path of the image's files (the first image mount): relative programs are under it. */
  private imageRoot = '/app';

  constructor(file: string, where: Map<string, Where>, imageDir: string | null) {
    this.file = file;
    this.where = where;
    this.imageDir = imageDir;
  }

  private pos(path: readonly Seg[], at: 'key' | 'value'): Pos {
    // The nearest position known: the field itself, else its closest ancestor.
    for (let n = path.length; n >= 0; n--) {
      const w = this.where.get(pathKey(path.slice(0, n)));
      if (!w) continue;
      const p = n === path.length ? (at === 'key' ? w.key ?? w.value : w.value ?? w.key) : w.key ?? w.value;
      if (p) return p;
    }
    return { line: 1, column: 1 };
  }

  err(path: readonly Seg[], message: string, at: 'key' | 'value' = 'value'): void {
    const p = this.pos(path, at);
    this.problems.push({ file: this.file, line: p.line, column: p.column, path: pathKey(path), message });
  }

  /** Reports keys of `t` not in `known`, with a suggestion. */
  keys(t: Table, path: readonly Seg[], known: readonly string[]): void {
    for (const k of Object.keys(t)) {
      if (known.includes(k)) continue;
      const s = suggest(k, known);
      this.err([...path, k], `unknown key ${q(k)}${s ? ` (did you mean ${q(s)}?)` : `; expected one of ${known.map(q).join(', ')}`}`, 'key');
    }
  }

  table(x: unknown, path: readonly Seg[]): Table | null {
    if (x === undefined) return null;
    if (isTable(x)) return x;
    this.err(path, `expected a table, got ${show(x)}`);
    return null;
  }

  str(t: Table, path: readonly Seg[], k: string, dflt: string | null): string | null {
    const x = t[k];
    if (x === undefined) {
      if (dflt === null) this.err(path, `missing required key ${q(k)} (a string)`, 'key');
      return dflt;
    }
    if (typeof x === 'string') return x;
    this.err([...path, k], `expected a string, got ${show(x)}`);
    return dflt;
  }

  bool(t: Table, path: readonly Seg[], k: string, dflt: boolean): boolean {
    const x = t[k];
    if (x === undefined) return dflt;
    if (typeof x === 'boolean') return x;
    this.err([...path, k], `expected true or false, got ${show(x)}`);
    return dflt;
  }

  int(t: Table, path: readonly Seg[], k: string, dflt: number, min: number, max: number): number {
    const x = t[k];
    if (x === undefined) return dflt;
    if (typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max) return x;
    this.err([...path, k], `expected an integer from ${min} to ${max}, got ${show(x)}`);
    return dflt;
  }

  strings(t: Table, path: readonly Seg[], k: string): string[] {
    const x = t[k];
    if (x === undefined) return [];
    if (!Array.isArray(x)) {
      this.err([...path, k], `expected an array of strings, got ${show(x)}`);
      return [];
    }
    const out: string[] = [];
    x.forEach((e, i) => {
      if (typeof e === 'string') out.push(e);
      else this.err([...path, k, i], `expected a string, got ${show(e)}`);
    });
    return out;
  }

  duration(t: Table, path: readonly Seg[], k: string, dflt: number): number {
    const x = t[k];
    if (x === undefined) return dflt;
    const ms = typeof x === 'string' ? parseDuration(x) : x === 0 ? 0 : null;
    if (ms !== null) return ms;
    this.err([...path, k], `expected a duration such as "30s", "5m", "1h" (units ms s m h d w), got ${show(x)}`);
    return dflt;
  }

  size(t: Table, path: readonly Seg[], k: string, dflt: number): number {
    const x = t[k];
    if (x === undefined) return dflt;
    const n = typeof x === 'string' ? parseSize(x) : typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : null;
    if (n !== null) return n;
    this.err([...path, k], `expected a size such as "10MiB", "1G", "512k" or a number of bytes, got ${show(x)}`);
    return dflt;
  }

  choice<T extends string>(t: Table, path: readonly Seg[], k: string, xs: readonly T[], dflt: T): T {
    const x = t[k];
    if (x === undefined) return dflt;
    if (typeof x === 'string' && (xs as readonly string[]).includes(x)) return x as T;
    const s = typeof x === 'string' ? suggest(x, xs) : null;
    this.err([...path, k], `${oneOf(xs)}, got ${show(x)}${s ? ` (did you mean ${q(s)}?)` : ''}`);
    return dflt;
  }

  user(t: Table, path: readonly Seg[], k: string): { uid: number; gid: number } {
    const x = t[k];
    if (x === undefined) return { uid: 0, gid: 0 };
    if (x === 'root') return { uid: 0, gid: 0 };
    if (x === 'nobody') return { uid: 65534, gid: 65534 };
    const m = typeof x === 'string' ? /^(\d+)(?::(\d+))?$/.exec(x) : null;
    if (m) {
      const uid = Number(m[1]);
      const gid = m[2] === undefined ? uid : Number(m[2]);
      if (uid < 2 ** 32 && gid < 2 ** 32) return { uid, gid };
    }
    if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 2 ** 32) return { uid: x, gid: x };
    this.err([...path, k], `expected a user: "root", "nobody", "UID" or "UID:GID" (numbers), got ${show(x)}`);
    return { uid: 0, gid: 0 };
  }

  signal(t: Table, path: readonly Seg[], k: string, dflt: number): number {
    const x = t[k];
    if (x === undefined) return dflt;
    if (typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 31) return x;
    if (typeof x === 'string') {
      const name = x.toUpperCase().replace(/^SIG/, '');
      if (name in SIG) return SIG[name as SignalName];
    }
    this.err([...path, k], `expected a signal name such as "SIGTERM" or a number from 1 to 31, got ${show(x)}`);
    return dflt;
  }

  /** A severity name or 0..7. */
  severity(t: Table, path: readonly Seg[], k: string, dflt: number): number {
    const x = t[k];
    if (x === undefined) return dflt;
    if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 7) return x;
    if (typeof x === 'string') {
      const i = SEVERITIES.indexOf(x.toLowerCase());
      if (i >= 0) return i;
      if (x.toLowerCase() in SEVERITY_ALIASES) return SEVERITY_ALIASES[x.toLowerCase()]!;
    }
    this.err([...path, k], `${oneOf(SEVERITIES)} or a number from 0 to 7, got ${show(x)}`);
    return dflt;
  }

  // ---- sections ----

  manifest(doc: Table): Manifest {
    this.keys(doc, [], ['name', 'version', 'hostname', 'image', 'mounts', 'services', 'cron', 'logs', 'network', 'metrics']);
    const name = this.str(doc, [], 'name', null) ?? 'image';
    if (doc.name !== undefined && !NAME_RE.test(name)) this.err(['name'], `expected a name of letters, digits, ".", "_", "-" (starting with a letter or digit), got ${q(name)}`);
    const version = this.str(doc, [], 'version', '0.0.0')!;
    // Default: the name made a host name (what is not a letter, digit, "." or "-" becomes "-").
    const asHost = name.replace(/[^A-Za-z0-9.-]/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 63) || 'isokernel';
    const hostname = this.str(doc, [], 'hostname', asHost)!;
    if (doc.hostname !== undefined && !/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(hostname)) {
      this.err(['hostname'], `expected a host name (letters, digits, "-", dot-separated labels of 1 to 63), got ${q(hostname)}`);
    }
    const mounts = this.mounts(doc.mounts);
    this.imageRoot = mounts.find((m) => m.type === 'image')!.path;
    const services = this.services(doc.services);
    if (this.imageDir !== null) this.programsExist(services, mounts, this.imageDir);
    const cron = this.cron(doc.cron);
    const image = this.image(doc.image);
    return {
      name, version, hostname,
      mounts,
      services,
      cron,
      logs: this.logs(doc.logs),
      network: this.network(doc.network),
      metrics: this.metrics(doc.metrics),
      image,
    };
  }

  /** Each service whose program is in an image mount: the file is there. */
  private programsExist(services: Service[], mounts: MountEntry[], dir: string): void {
    for (const s of services) {
      const m = mounts.find((m) => m.type === 'image' && s.program.startsWith(m.path + '/'));
      if (!m || !s.program) continue;
      const host = join(dir, m.source, s.program.slice(m.path.length + 1));
      const st = statSync(host, { throwIfNoEntry: false });
      if (!st) this.err(['services', s.name, 'program'], `${q(s.program)} is not in the image (no file ${host})`);
      else if (!st.isFile()) this.err(['services', s.name, 'program'], `${q(s.program)} is not a regular file`);
      else if ((st.mode & 0o111) === 0) {
        this.err(['services', s.name, 'program'], `${q(s.program)} is not executable (mode ${(st.mode & 0o777).toString(8)}; chmod +x ${host})`);
      }
    }
  }

  image(x: unknown): Manifest['image'] {
    const t = this.table(x, ['image']) ?? {};
    this.keys(t, ['image'], ['exclude', 'js_pool']);
    return {
      exclude: this.strings(t, ['image'], 'exclude'),
      jsPool: this.int(t, ['image'], 'js_pool', 1, 0, 64),
    };
  }

  mounts(x: unknown): MountEntry[] {
    const out: MountEntry[] = [];
    if (x !== undefined && !Array.isArray(x)) this.err(['mounts'], `expected an array of tables ([[mounts]]), got ${show(x)}`);
    const list = Array.isArray(x) ? x : [];
    list.forEach((e, i) => {
      const path = ['mounts', i];
      const t = this.table(e, path);
      if (!t) return;
      this.keys(t, path, ['path', 'type', 'source', 'readonly', 'size']);
      const at = this.str(t, path, 'path', null) ?? '/';
      if (t.path !== undefined && (!at.startsWith('/') || at === '/' || posix.normalize(at) !== at.replace(/\/+$/, ''))) {
        this.err([...path, 'path'], `expected an absolute, normalized guest path other than "/", got ${q(at)}`);
      }
      const clash = RESERVED.find((r) => at === r || (r !== '/etc' && r !== '/usr' && at.startsWith(r + '/')));
      if (clash) this.err([...path, 'path'], `${q(at)} is the system's (${RESERVED_WHY[clash]}); mount elsewhere`);
      const type = this.choice(t, path, 'type', ['image', 'state', 'tmpfs', 'host'] as const, 'image');
      if (t.type === undefined) this.err(path, `missing required key "type" (${oneOf(['image', 'state', 'tmpfs', 'host'])})`, 'key');
      let source = '';
      if (type === 'tmpfs') {
        if (t.source !== undefined) this.err([...path, 'source'], 'a tmpfs mount has no source', 'key');
      } else {
        source = this.str(t, path, 'source', type === 'host' ? null : '.') ?? '';
        if (type === 'host' && t.source !== undefined && !source.startsWith('/')) this.err([...path, 'source'], `expected an absolute host path, got ${q(source)}`);
        if ((type === 'image' || type === 'state') && (source.startsWith('/') || posix.normalize(source).startsWith('..'))) {
          this.err([...path, 'source'], `expected a path relative to the ${type === 'image' ? 'image' : 'state'} directory, inside it, got ${q(source)}`);
        }
      }
      if (type !== 'tmpfs' && t.size !== undefined) this.err([...path, 'size'], 'only a tmpfs mount has a size', 'key');
      const readonly = this.bool(t, path, 'readonly', type === 'image');
      if (type === 'image' && !readonly) this.err([...path, 'readonly'], 'image mounts are read-only');
      const norm = at.replace(/\/+$/, '');
      const dup = out.findIndex((m) => m.path === norm);
      if (dup >= 0) this.err([...path, 'path'], `${q(norm)} is already mounted by mounts[${dup}]`);
      out.push({ path: norm, type, source, readonly, sizeBytes: this.size(t, path, 'size', 0) });
    });
    // The defaults: the image's files at /app, persistent /var, a fresh /tmp.
    if (!out.some((m) => m.type === 'image')) out.unshift({ path: '/app', type: 'image', source: '.', readonly: true, sizeBytes: 0 });
    if (!out.some((m) => m.path === '/var')) out.push({ path: '/var', type: 'state', source: 'var', readonly: false, sizeBytes: 0 });
    if (!out.some((m) => m.path === '/tmp')) out.push({ path: '/tmp', type: 'tmpfs', source: '', readonly: false, sizeBytes: 0 });
    return out;
  }

  services(x: unknown): Service[] {
    const t = this.table(x, ['services']) ?? {};
    const out: Service[] = [];
    for (const [name, e] of Object.entries(t)) {
      const path = ['services', name];
      if (!NAME_RE.test(name)) this.err(path, `expected a service name of letters, digits, ".", "_", "-", got ${q(name)}`, 'key');
      const s = this.table(e, path);
      if (!s) continue;
      out.push(this.service(name, s, path));
    }
    const names = new Set(out.map((s) => s.name));
    for (const s of out) {
      s.dependsOn.forEach((d, i) => {
        if (names.has(d) && d !== s.name) return;
        if (d === s.name) return this.err(['services', s.name, 'depends_on', i], `a service cannot depend on itself`);
        const sug = suggest(d, names);
        this.err(['services', s.name, 'depends_on', i], `unknown service ${q(d)}${sug ? ` (did you mean ${q(sug)}?)` : names.size ? `; services are ${[...names].map(q).join(', ')}` : ''}`);
      });
    }
    this.cycles(out);
    return out;
  }

  private cycles(services: Service[]): void {
    const byName = new Map(services.map((s) => [s.name, s]));
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (n: string): void => {
      state.set(n, 'visiting');
      stack.push(n);
      for (const d of byName.get(n)?.dependsOn ?? []) {
        if (!byName.has(d) || d === n) continue;
        if (state.get(d) === 'visiting') {
          const cycle = [...stack.slice(stack.indexOf(d)), d];
          this.err(['services', n, 'depends_on'], `dependency cycle: ${cycle.join(' → ')}`);
        } else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(n, 'done');
    };
    for (const s of services) if (!state.has(s.name)) visit(s.name);
  }

  service(name: string, t: Table, path: Seg[]): Service {
    this.keys(t, path, [
      'program', 'args', 'env', 'cwd', 'user', 'restart', 'backoff', 'crash_loop', 'depends_on', 'limits',
      'readiness', 'stop_signal', 'stop_timeout',
    ]);
    let program = this.str(t, path, 'program', null) ?? '';
    if (program && !program.startsWith('/')) program = posix.join(this.imageRoot, program);
    const cwd = this.str(t, path, 'cwd', '/')!;
    if (!cwd.startsWith('/')) this.err([...path, 'cwd'], `expected an absolute guest path, got ${q(cwd)}`);
    const envT = this.table(t.env, [...path, 'env']) ?? {};
    const env: Record<string, string> = {};
    for (const [k, val] of Object.entries(envT)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) this.err([...path, 'env', k], `expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got ${q(k)}`, 'key');
      if (typeof val === 'string') env[k] = val;
      else if (typeof val === 'number' || typeof val === 'boolean') env[k] = String(val);
      else this.err([...path, 'env', k], `expected a string, got ${show(val)}`);
    }
    const backoffT = this.table(t.backoff, [...path, 'backoff']) ?? {};
    this.keys(backoffT, [...path, 'backoff'], ['initial', 'max']);
    const backoff = {
      initial: this.duration(backoffT, [...path, 'backoff'], 'initial', 100),
      max: this.duration(backoffT, [...path, 'backoff'], 'max', 30_000),
    };
    if (backoff.max < backoff.initial) this.err([...path, 'backoff', 'max'], `expected at least backoff.initial (${backoff.initial} ms), got ${backoff.max} ms`);
    const loopT = this.table(t.crash_loop, [...path, 'crash_loop']) ?? {};
    this.keys(loopT, [...path, 'crash_loop'], ['max_restarts', 'window']);
    const { uid, gid } = this.user(t, path, 'user');
    return {
      name, program,
      args: this.strings(t, path, 'args'),
      env, cwd, uid, gid,
      restart: this.choice(t, path, 'restart', RESTART, 'on-failure'),
      backoffMs: backoff,
      crashLoop: {
        maxRestarts: this.int(loopT, [...path, 'crash_loop'], 'max_restarts', 5, 0, 1_000_000),
        windowMs: this.duration(loopT, [...path, 'crash_loop'], 'window', 60_000),
      },
      dependsOn: this.strings(t, path, 'depends_on'),
      limits: this.limits(t.limits, [...path, 'limits']),
      readiness: this.readiness(t.readiness, [...path, 'readiness']),
      stopSignal: this.signal(t, path, 'stop_signal', SIG.TERM),
      stopTimeoutMs: this.duration(t, path, 'stop_timeout', 10_000),
    };
  }

  limits(x: unknown, path: Seg[]): Partial<Limits> {
    const t = this.table(x, path) ?? {};
    const out: Partial<Limits> = {};
    const KEYS = ['open_files', 'memory', 'threads', 'core', 'cpu', 'file_size', 'children', 'processes'];
    this.keys(t, path, KEYS);
    const unlimited = (k: string): boolean => t[k] === 'unlimited';
    const count = (k: string, field: keyof Limits, max: number): void => {
      if (t[k] === undefined) return;
      out[field] = unlimited(k) ? Infinity : this.int(t, path, k, 0, 0, max);
    };
    count('open_files', 'openFiles', 1 << 20);
    count('threads', 'threads', 1 << 16);
    count('children', 'children', 1 << 20);
    count('processes', 'userProcesses', 1 << 20);
    if (t.memory !== undefined) {
      const bytes = unlimited('memory') ? Infinity : this.size(t, path, 'memory', -1);
      if (bytes >= 0 && bytes < 65536) this.err([...path, 'memory'], `expected at least 64KiB (one wasm page), got ${show(t.memory)}`);
      out.memoryPages = bytes === Infinity ? 65536 : Math.min(65536, Math.floor(bytes / 65536));
    }
    if (t.core !== undefined) out.coreBytes = unlimited('core') ? Infinity : this.size(t, path, 'core', 0);
    if (t.file_size !== undefined) out.fileBytes = unlimited('file_size') ? Infinity : this.size(t, path, 'file_size', 0);
    if (t.cpu !== undefined) out.cpuMs = unlimited('cpu') ? Infinity : this.duration(t, path, 'cpu', 0);
    return out;
  }

  readiness(x: unknown, path: Seg[]): Readiness {
    if (x === undefined || x === 'none') return { type: 'none' };
    const t = this.table(x, path);
    if (!t) return { type: 'none' };
    this.keys(t, path, ['file', 'command', 'tcp', 'interval', 'timeout']);
    const kinds = ['file', 'command', 'tcp'].filter((k) => t[k] !== undefined);
    if (kinds.length !== 1) {
      this.err(path, `expected exactly one of "file", "command", "tcp" (or readiness = "none"), got ${kinds.length ? kinds.map(q).join(' and ') : 'none'}`);
      return { type: 'none' };
    }
    const timeoutMs = this.duration(t, path, 'timeout', 30_000);
    if (t.interval !== undefined && kinds[0] !== 'command') this.err([...path, 'interval'], 'only a command readiness check has an interval', 'key');
    switch (kinds[0]) {
      case 'file': {
        const p = this.str(t, path, 'file', '')!;
        if (!p.startsWith('/')) this.err([...path, 'file'], `expected an absolute guest path, got ${q(p)}`);
        return { type: 'file', path: p, timeoutMs };
      }
      case 'command':
        return { type: 'command', command: this.str(t, path, 'command', '')!, intervalMs: this.duration(t, path, 'interval', 1000), timeoutMs };
      default:
        return { type: 'tcp', port: this.int(t, path, 'tcp', 0, 1, 65535), timeoutMs };
    }
  }

  cron(x: unknown): CronJob[] {
    const t = this.table(x, ['cron']) ?? {};
    const out: CronJob[] = [];
    for (const [name, e] of Object.entries(t)) {
      const path = ['cron', name];
      if (!NAME_RE.test(name)) this.err(path, `expected a job name of letters, digits, ".", "_", "-", got ${q(name)}`, 'key');
      const j = this.table(e, path);
      if (!j) continue;
      this.keys(j, path, ['schedule', 'timezone', 'command', 'user', 'overlap']);
      const schedule = this.str(j, path, 'schedule', null) ?? '';
      if (j.schedule !== undefined && typeof j.schedule === 'string') {
        const why = checkSchedule(schedule);
        if (why) this.err([...path, 'schedule'], why);
      }
      const timezone = this.str(j, path, 'timezone', 'UTC')!;
      if (!validZone(timezone)) this.err([...path, 'timezone'], `expected an IANA time zone such as "UTC" or "Europe/Paris", got ${q(timezone)}`);
      const command = this.str(j, path, 'command', null) ?? '';
      const { uid, gid } = this.user(j, path, 'user');
      out.push({ name, schedule: schedule.trim(), timezone, command, uid, gid, overlap: this.bool(j, path, 'overlap', false) });
    }
    return out;
  }

  logs(x: unknown): LogConfig {
    const t = this.table(x, ['logs']) ?? {};
    this.keys(t, ['logs'], ['files', 'remote']);
    const files: LogFile[] = [];
    const ft = this.table(t.files, ['logs', 'files']);
    for (const [name, e] of Object.entries(ft ?? {})) {
      const path = ['logs', 'files', name];
      if (!NAME_RE.test(name)) this.err(path, `expected a log name of letters, digits, ".", "_", "-", got ${q(name)}`, 'key');
      const f = this.table(e, path);
      if (!f) continue;
      this.keys(f, path, ['match', 'min_severity', 'rotate']);
      const match = f.match === undefined ? ['*'] : this.strings(f, path, 'match');
      const rt = this.table(f.rotate, [...path, 'rotate']) ?? {};
      const rp = [...path, 'rotate'];
      this.keys(rt, rp, ['size', 'age', 'keep', 'compress']);
      files.push({
        name, match,
        minSeverity: this.severity(f, path, 'min_severity', 7),
        rotate: {
          maxBytes: this.size(rt, rp, 'size', 10 * 1024 * 1024),
          maxAgeMs: this.duration(rt, rp, 'age', 0),
          keep: this.int(rt, rp, 'keep', 5, 0, 10_000),
          compress: this.bool(rt, rp, 'compress', true),
        },
      });
    }
    if (ft === null) {
      files.push({ name: 'messages', match: ['*'], minSeverity: 7, rotate: { maxBytes: 10 * 1024 * 1024, maxAgeMs: 0, keep: 5, compress: true } });
    }
    let remote: RemoteSyslog | null = null;
    const r = this.table(t.remote, ['logs', 'remote']);
    if (r) {
      const rp = ['logs', 'remote'];
      this.keys(r, rp, ['protocol', 'host', 'port', 'facility']);
      let facility = 1;
      if (r.facility !== undefined) {
        const fx = r.facility;
        if (typeof fx === 'number' && Number.isInteger(fx) && fx >= 0 && fx <= 23) facility = fx;
        else if (typeof fx === 'string' && FACILITIES.includes(fx)) facility = FACILITIES.indexOf(fx);
        else {
          const s = typeof fx === 'string' ? suggest(fx, FACILITIES) : null;
          this.err([...rp, 'facility'], `expected a facility name ("user", "daemon", "local0" ... "local7") or a number from 0 to 23, got ${show(fx)}${s ? ` (did you mean ${q(s)}?)` : ''}`);
        }
      }
      remote = {
        protocol: this.choice(r, rp, 'protocol', ['udp', 'tcp'] as const, 'udp'),
        host: this.str(r, rp, 'host', null) ?? '',
        port: this.int(r, rp, 'port', 514, 1, 65535),
        facility,
      };
    }
    return { files, remote };
  }

  /** [metrics]: the activity collector and Prometheus (added by SAR; src/metrics/, docs/tools.md). */
  metrics(x: unknown): MetricsConfig {
    const t = this.table(x, ['metrics']) ?? {};
    const path = ['metrics'];
    this.keys(t, path, ['enabled', 'interval', 'retention', 'listen']);
    const intervalMs = this.duration(t, path, 'interval', 10_000);
    if (intervalMs < 100 || intervalMs > 86_400_000) this.err([...path, 'interval'], `expected a duration from "100ms" to "1d", got ${show(t.interval)}`);
    const retentionMs = this.duration(t, path, 'retention', 7 * 86_400_000);
    if (retentionMs < intervalMs) this.err([...path, 'retention'], `expected at least the interval, got ${show(t.retention)}`);
    const listen = t.listen === undefined ? null : this.str(t, path, 'listen', '');
    if (listen !== null && listen !== '') {
      const r = checkListen(listen);
      if (r instanceof Error) this.err([...path, 'listen'], r.message);
    }
    return { enabled: this.bool(t, path, 'enabled', true), intervalMs, retentionMs, listen: listen === '' ? null : listen };
  }

  network(x: unknown): NetworkConfig {
    const t = this.table(x, ['network']) ?? {};
    this.keys(t, ['network'], ['listen', 'egress']);
    const listen: NetworkConfig['listen'] = [];
    if (t.listen !== undefined && !Array.isArray(t.listen)) this.err(['network', 'listen'], `expected an array of tables, got ${show(t.listen)}`);
    (Array.isArray(t.listen) ? t.listen : []).forEach((e, i) => {
      const path = ['network', 'listen', i];
      const l = this.table(e, path);
      if (!l) return;
      this.keys(l, path, ['port', 'host', 'host_port']);
      const port = this.int(l, path, 'port', 0, 1, 65535);
      if (l.port === undefined) this.err(path, 'missing required key "port" (an integer from 1 to 65535)', 'key');
      listen.push({ port, host: this.str(l, path, 'host', '127.0.0.1')!, hostPort: this.int(l, path, 'host_port', port, 0, 65535) });
    });
    return { listen, egress: this.strings(t, ['network'], 'egress') };
  }
}

const NICKNAMES = ['@reboot', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Why a crontab schedule is not valid, or null if it is (five fields, or a nickname). */
export function checkSchedule(schedule: string): string | null {
  const s = schedule.trim();
  if (s.startsWith('@')) {
    if (NICKNAMES.includes(s.toLowerCase())) return null;
    const sug = suggest(s.toLowerCase(), NICKNAMES);
    return `${oneOf(NICKNAMES)} or five fields, got ${q(s)}${sug ? ` (did you mean ${q(sug)}?)` : ''}`;
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `expected five fields (minute hour day-of-month month day-of-week), got ${fields.length} in ${q(s)}`;
  try {
    new Cron(s, { paused: true });
    return null;
  } catch (e) {
    return `invalid schedule ${q(s)}: ${(e as Error).message.replace(/^CronPattern: /, '')}`;
  }
}

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
