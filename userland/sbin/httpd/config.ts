// httpd's configuration: command-line options (the service's args in the manifest), plus
// an optional --config file of the same options, one per line, read again on SIGHUP.
// docs/httpd.md is the reference.
import fs from 'node:fs';
import type { Limits } from './parser.ts';
import type { CgiMapping } from './cgi.ts';

export type ListenAddr = { host: string; port: number } | { path: string };

export interface ProxyRoute {
  /** URL prefix without a trailing slash. */
  url: string;
  target: ListenAddr;
  /** The target as written, for messages. */
  spec: string;
}

export interface Config {
  listen: ListenAddr[];
  root: string | null;
  index: string[];
  autoindex: boolean;
  cgi: CgiMapping[];
  cgiTimeoutMs: number;
  cgiPassAuth: boolean;
  /** Tag for CGI stderr in the log (syslog). */
  cgiLogTag: string;
  proxy: ProxyRoute[];
  proxyTimeoutMs: number;
  accessLog: string | null;
  serverName: string | null;
  /** A request head must be complete this long after its first byte (or after the connection opens): else 408. */
  headerTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** The longest pause between two reads of a request body, or writes to a client. */
  ioTimeoutMs: number;
  maxConnections: number;
  maxRequestsPerConnection: number;
  limits: Limits;
  mime: Record<string, string>;
  configFile: string | null;
}

export class ConfigError extends Error {}

export function defaults(): Config {
  return {
    listen: [], root: null, index: ['index.html', 'index.htm'], autoindex: false, cgi: [], cgiTimeoutMs: 10_000,
    cgiPassAuth: false, cgiLogTag: 'httpd-cgi', proxy: [], proxyTimeoutMs: 30_000, accessLog: null, serverName: null,
    headerTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, ioTimeoutMs: 30_000, maxConnections: 512, maxRequestsPerConnection: 10_000,
    limits: { maxHeadBytes: 16384, maxLineBytes: 8192, maxHeaders: 100, maxBodyBytes: 16 << 20 }, mime: {}, configFile: null,
  };
}

/** "10s", "250ms", "2m", "1h"; a bare number is seconds. */
export function parseDuration(s: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw new ConfigError(`${what}: bad duration ${JSON.stringify(s)} (use 500ms, 10s, 2m)`);
  const mult = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * mult);
}

/** "16384", "16k", "8m", "1g". */
export function parseSize(s: string, what: string): number {
  const m = /^(\d+)([kmg])?$/i.exec(s.trim());
  if (!m) throw new ConfigError(`${what}: bad size ${JSON.stringify(s)} (use 16384, 16k, 8m)`);
  return Number(m[1]) * ({ k: 1024, m: 1 << 20, g: 1 << 30 }[(m[2] ?? '').toLowerCase() as 'k'] ?? 1);
}

/** `8080`, `127.0.0.1:8080`, `[::1]:8080`, `unix:/run/x.sock`. */
export function parseAddr(s: string, what: string): ListenAddr {
  if (s.startsWith('unix:')) {
    const path = s.slice(5);
    if (!path.startsWith('/')) throw new ConfigError(`${what}: unix socket path must be absolute: ${s}`);
    return { path };
  }
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s]+)):(\d+)$/.exec(s) ?? /^()()(\d+)$/.exec(s);
  if (!m) throw new ConfigError(`${what}: bad address ${JSON.stringify(s)} (use PORT, HOST:PORT, [V6]:PORT or unix:/PATH)`);
  const port = Number(m[3]);
  if (port > 65535) throw new ConfigError(`${what}: port ${port} out of range`);
  return { host: m[1] || m[2] || '0.0.0.0', port };
}

function urlPrefix(s: string, what: string): string {
  if (!s.startsWith('/') || /[\s?#]/.test(s)) throw new ConfigError(`${what}: URL prefix must be a path: ${JSON.stringify(s)}`);
  return s.replace(/\/+$/, '') || '/';
}

/** Paths must be absolute: httpd changes its directory (to the CGI directory). */
function absolute(p: string, what: string): string {
  if (!p.startsWith('/')) throw new ConfigError(`${what}: path must be absolute: ${JSON.stringify(p)}`);
  return p;
}

/** Options with a value, and flags. */
const FLAGS = new Set(['--autoindex', '--cgi-pass-auth']);

/**
 * Parses options into `cfg` (in place; later options override or add to earlier ones).
 *
 * Errors: ConfigError naming the option, for an unknown option, a missing value or a bad one.
 */
export function applyArgs(cfg: Config, args: readonly string[]): Config {
  for (let i = 0; i < args.length; i++) {
    let opt = args[i]!;
    let val: string | undefined;
    const eq = opt.indexOf('=');
    if (opt.startsWith('--') && eq > 0 && !FLAGS.has(opt.slice(0, eq))) {
      val = opt.slice(eq + 1);
      opt = opt.slice(0, eq);
    }
    const need = (): string => {
      if (val !== undefined) return val;
      const v = args[++i];
      if (v === undefined) throw new ConfigError(`${opt} needs a value`);
      return v;
    };
    switch (opt) {
      case '--listen': cfg.listen.push(parseAddr(need(), opt)); break;
      case '--root': cfg.root = absolute(need(), opt); break;
      case '--index': cfg.index = need().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--autoindex': cfg.autoindex = true; break;
      case '--cgi-bin': {
        const v = need();
        const e = v.indexOf('=');
        if (e <= 0) throw new ConfigError(`--cgi-bin wants URL=DIR, got ${JSON.stringify(v)}`);
        const url = urlPrefix(v.slice(0, e), opt);
        const dir = v.slice(e + 1);
        if (!dir.startsWith('/')) throw new ConfigError(`--cgi-bin: directory must be absolute: ${dir}`);
        cfg.cgi.push({ url: url === '/' ? '' : url, dir });
        break;
      }
      case '--cgi-timeout': cfg.cgiTimeoutMs = parseDuration(need(), opt); break;
      case '--cgi-pass-auth': cfg.cgiPassAuth = true; break;
      case '--cgi-log-tag': cfg.cgiLogTag = need(); break;
      case '--proxy': {
        const v = need();
        const e = v.indexOf('=');
        if (e <= 0) throw new ConfigError(`--proxy wants URL=unix:/PATH or URL=HOST:PORT, got ${JSON.stringify(v)}`);
        const url = urlPrefix(v.slice(0, e), opt);
        // One target per route; "a|b" lists are not load-balanced: the first is used.
        const spec = v.slice(e + 1).split('|')[0]!;
        cfg.proxy.push({ url: url === '/' ? '' : url, target: parseAddr(spec, opt), spec });
        break;
      }
      case '--proxy-timeout': cfg.proxyTimeoutMs = parseDuration(need(), opt); break;
      case '--access-log': { const v = need(); cfg.accessLog = v === '-' || v === 'off' ? null : absolute(v, opt); break; }
      case '--server-name': cfg.serverName = need(); break;
      case '--header-timeout': cfg.headerTimeoutMs = parseDuration(need(), opt); break;
      case '--keepalive-timeout': cfg.keepAliveTimeoutMs = parseDuration(need(), opt); break;
      case '--io-timeout': cfg.ioTimeoutMs = parseDuration(need(), opt); break;
      case '--max-connections': cfg.maxConnections = Math.max(1, parseSize(need(), opt)); break;
      case '--max-requests': cfg.maxRequestsPerConnection = Math.max(1, parseSize(need(), opt)); break;
      case '--max-header-bytes': cfg.limits.maxHeadBytes = parseSize(need(), opt); break;
      case '--max-body-bytes': cfg.limits.maxBodyBytes = parseSize(need(), opt); break;
      case '--mime': {
        const v = need();
        const e = v.indexOf('=');
        if (e <= 0) throw new ConfigError(`--mime wants EXT=TYPE, got ${JSON.stringify(v)}`);
        cfg.mime[v.slice(0, e).replace(/^\./, '').toLowerCase()] = v.slice(e + 1);
        break;
      }
      case '--config': cfg.configFile = absolute(need(), opt); break;
      default: throw new ConfigError(`unknown option ${JSON.stringify(opt)} (see docs/httpd.md)`);
    }
  }
  return cfg;
}

/** Words of a config file: one option per line (with or without its value), # comments. */
export function configFileArgs(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const l = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!l) continue;
    const sp = l.search(/\s/);
    if (sp < 0) out.push(l);
    else out.push(l.slice(0, sp), l.slice(sp).trim());
  }
  return out;
}

/** The whole configuration: the args, then the --config file's options if one is named. */
export function loadConfig(args: readonly string[]): Config {
  const cfg = applyArgs(defaults(), args);
  if (cfg.configFile) {
    let text: string;
    try {
      text = fs.readFileSync(cfg.configFile, 'utf8');
    } catch (e) {
      throw new ConfigError(`--config ${cfg.configFile}: ${(e as Error).message}`);
    }
    applyArgs(cfg, configFileArgs(text));
  }
  if (!cfg.listen.length) throw new ConfigError('no --listen address');
  if (!cfg.root && !cfg.cgi.length && !cfg.proxy.length) throw new ConfigError('nothing to serve: give --root, --cgi-bin or --proxy');
  if (cfg.limits.maxLineBytes > cfg.limits.maxHeadBytes) cfg.limits.maxLineBytes = cfg.limits.maxHeadBytes;
  return cfg;
}
