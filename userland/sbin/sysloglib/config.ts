// syslogd's configuration: the manifest's `logs` (src/image/manifest-types.ts, LogConfig),
// checked again here (a program must not trust a file), with the defaults an image without
// a [logs] section gets, and routing: which files a record goes to.
//
// Routing: a file takes a record when one of its `match` patterns matches the record's tag
// and none of its `!pattern`s does (`*` matches any run of characters; `['*']` is every
// tag), and the record's severity is at most the file's `minSeverity` (0 emerg … 7 debug:
// minSeverity 6 writes info and worse, leaves debug out).

export interface Rotation {
  maxBytes: number;
  maxAgeMs: number;
  keep: number;
  compress: boolean;
}
export interface FileConfig {
  name: string;
  match: string[];
  minSeverity: number;
  rotate: Rotation;
}
export interface RemoteConfig {
  protocol: 'udp' | 'tcp';
  host: string;
  port: number;
  facility: number;
}
export interface SyslogConfig {
  files: FileConfig[];
  remote: RemoteConfig | null;
}

export const DEFAULT_ROTATION: Rotation = { maxBytes: 10 << 20, maxAgeMs: 0, keep: 5, compress: true };

/** What an image without a [logs] section gets: everything in /var/log/messages.log. */
export function defaultConfig(): SyslogConfig {
  return { files: [{ name: 'messages', match: ['*'], minSeverity: 7, rotate: { ...DEFAULT_ROTATION } }], remote: null };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Checks a LogConfig (the manifest's `logs`); throws an Error naming the bad field. */
export function checkConfig(v: unknown): SyslogConfig {
  if (!isObj(v)) throw new Error('logs: expected an object');
  const files: FileConfig[] = [];
  const names = new Set<string>();
  const list = v.files ?? [];
  if (!Array.isArray(list)) throw new Error('logs.files: expected a list');
  list.forEach((f: unknown, i) => {
    const at = `logs.files[${i}]`;
    if (!isObj(f)) throw new Error(`${at}: expected an object`);
    if (typeof f.name !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(f.name)) throw new Error(`${at}.name: expected a file name (letters, digits, _ . -)`);
    if (names.has(f.name)) throw new Error(`${at}.name: '${f.name}' twice`);
    names.add(f.name);
    const match = f.match ?? ['*'];
    if (!Array.isArray(match) || match.some((m) => typeof m !== 'string' || m === '')) throw new Error(`${at}.match: expected a list of tag patterns`);
    const minSeverity = f.minSeverity ?? 7;
    if (!int(minSeverity, 0, 7)) throw new Error(`${at}.minSeverity: expected 0..7`);
    const r = isObj(f.rotate) ? f.rotate : {};
    const rotate: Rotation = {
      maxBytes: (r.maxBytes ?? DEFAULT_ROTATION.maxBytes) as number, maxAgeMs: (r.maxAgeMs ?? 0) as number,
      keep: (r.keep ?? DEFAULT_ROTATION.keep) as number, compress: (r.compress ?? true) as boolean,
    };
    if (!int(rotate.maxBytes, 0, Number.MAX_SAFE_INTEGER)) throw new Error(`${at}.rotate.maxBytes: expected bytes ≥ 0`);
    if (!int(rotate.maxAgeMs, 0, Number.MAX_SAFE_INTEGER)) throw new Error(`${at}.rotate.maxAgeMs: expected ms ≥ 0`);
    if (!int(rotate.keep, 0, 10000)) throw new Error(`${at}.rotate.keep: expected 0..10000`);
    if (typeof rotate.compress !== 'boolean') throw new Error(`${at}.rotate.compress: expected true or false`);
    files.push({ name: f.name, match: match as string[], minSeverity, rotate });
  });
  let remote: RemoteConfig | null = null;
  if (v.remote !== undefined && v.remote !== null) {
    const r = v.remote;
    if (!isObj(r)) throw new Error('logs.remote: expected an object');
    if (r.protocol !== 'udp' && r.protocol !== 'tcp') throw new Error('logs.remote.protocol: expected udp or tcp');
    if (typeof r.host !== 'string' || r.host === '') throw new Error('logs.remote.host: expected a host');
    if (!int(r.port, 1, 65535)) throw new Error('logs.remote.port: expected 1..65535');
    const facility = r.facility ?? 1;
    if (!int(facility, 0, 23)) throw new Error('logs.remote.facility: expected 0..23');
    remote = { protocol: r.protocol, host: r.host, port: r.port, facility };
  }
  return { files, remote };
}

function patternRe(p: string): RegExp {
  return new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

/** A compiled router: route(tag, severity) → indices of the files that take the record. */
export function makeRouter(files: readonly FileConfig[]): (tag: string, severity: number) => number[] {
  const compiled = files.map((f) => ({
    yes: f.match.filter((m) => !m.startsWith('!')).map(patternRe),
    no: f.match.filter((m) => m.startsWith('!')).map((m) => patternRe(m.slice(1))),
    min: f.minSeverity,
  }));
  // By tag: the files for each severity 0..7.
  const cache = new Map<string, number[][]>();
  return (tag, severity) => {
    let bySev = cache.get(tag);
    if (bySev === undefined) {
      const matching = compiled.map((c) => c.yes.some((re) => re.test(tag)) && !c.no.some((re) => re.test(tag)));
      bySev = [];
      for (let s = 0; s <= 7; s++) bySev.push(compiled.flatMap((c, i) => (matching[i] && s <= c.min ? [i] : [])));
      if (cache.size > 10000) cache.clear();
      cache.set(tag, bySev);
    }
    return bySev[severity] ?? [];
  };
}
