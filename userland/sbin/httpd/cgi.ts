// CGI/1.1 (RFC 3875): which URL names a script, the meta-variables it gets, and what its
// output means. Pure functions; cgi-run.ts spawns the script and feeds them.
//
// Script lookup (RFC 3875 3.3, 4.1.5): below a `--cgi-bin URL=DIR` prefix, path segments are
// taken one by one until one is a regular file: that is the script (SCRIPT_NAME is the URL up
// to it), the rest of the path is PATH_INFO. A directory with no script under it is 404; a
// file without an execute bit is 403.
//
// Meta-variables (section 4.1): all seventeen are set. AUTH_TYPE, REMOTE_USER and
// REMOTE_IDENT are set empty (NULL, 4.1): httpd does no authentication and no ident lookup.
// REMOTE_HOST is REMOTE_ADDR (4.1.9 allows it when no name is looked up). PATH_TRANSLATED
// is set only with a PATH_INFO (4.1.6), mapped through the document root. Header fields
// become HTTP_* (4.1.18) except Content-Length / Content-Type (those are CONTENT_*), the
// credentials (Authorization, Proxy-Authorization: unless --cgi-pass-auth), Proxy (the
// "httpoxy" hole: HTTP_PROXY would be read as a proxy setting), and any name with an
// underscore (X_Foo and X-Foo would both become HTTP_X_FOO). Repeats are joined with ", "
// ("; " for Cookie). A few common extras are given too: REQUEST_URI, REMOTE_PORT,
// SERVER_ADDR, DOCUMENT_ROOT, SCRIPT_FILENAME, REQUEST_SCHEME, PATH.
//
// Output (section 6): header lines end in LF or CRLF, up to an empty line; at least one of
// Content-Type, Location, Status. `Status: NNN reason`. A Location that is a path (starts
// with "/") and comes with nothing else is a local redirect: the server answers a GET for
// it (6.2.2). An absolute URI is a client redirect: 302 unless a Status says otherwise.
// Anything else malformed is 502. A Status without Content-Type is allowed (an empty 204,
// a 404 with no page); a body then goes out without a type.
import type { RequestHead } from './parser.ts';
import { isToken } from './parser.ts';

export interface CgiMapping {
  /** URL prefix, without a trailing slash ('/cgi-bin'). */
  url: string;
  /** Directory in the server's namespace. */
  dir: string;
}

export interface CgiRequest {
  head: RequestHead;
  /** SCRIPT_NAME: the URL path to the script (decoded). */
  scriptName: string;
  /** PATH_INFO (decoded), '' if none. */
  pathInfo: string;
  /** The script's file. */
  scriptFile: string;
  /** QUERY_STRING, as sent (still URL-encoded), '' if none. */
  query: string;
  /** The request's URL as sent (REQUEST_URI). */
  requestUri: string;
  /** Bytes of body the script gets on stdin (CONTENT_LENGTH); null: no body. */
  contentLength: number | null;
  remoteAddr: string;
  remotePort: number;
  serverAddr: string;
  serverPort: number;
  /** SERVER_NAME: the Host's name part, else the configured name. */
  serverName: string;
  docRoot: string;
  software: string;
  passAuth?: boolean;
  /** PATH for the script; default /bin:/usr/bin. */
  path?: string;
}

const SKIP = new Set(['content-length', 'content-type', 'proxy']);
const CREDENTIALS = new Set(['authorization', 'proxy-authorization']);

/** The meta-variables for a request, as NAME → value. */
export function cgiEnv(r: CgiRequest): Record<string, string> {
  const ct = r.head.headers.find(([n]) => n === 'content-type');
  const env: Record<string, string> = {
    AUTH_TYPE: '',
    CONTENT_LENGTH: r.contentLength === null ? '' : String(r.contentLength),
    CONTENT_TYPE: ct ? ct[1] : '',
    GATEWAY_INTERFACE: 'CGI/1.1',
    PATH_INFO: r.pathInfo,
    QUERY_STRING: r.query,
    REMOTE_ADDR: r.remoteAddr,
    REMOTE_HOST: r.remoteAddr,
    REMOTE_IDENT: '',
    REMOTE_USER: '',
    REQUEST_METHOD: r.head.method,
    SCRIPT_NAME: r.scriptName,
    SERVER_NAME: r.serverName,
    SERVER_PORT: String(r.serverPort),
    SERVER_PROTOCOL: r.head.version,
    SERVER_SOFTWARE: r.software,
    // Extras most scripts expect.
    REQUEST_URI: r.requestUri,
    REMOTE_PORT: String(r.remotePort),
    SERVER_ADDR: r.serverAddr,
    DOCUMENT_ROOT: r.docRoot,
    SCRIPT_FILENAME: r.scriptFile,
    REQUEST_SCHEME: 'http',
    PATH: r.path ?? '/bin:/usr/bin',
  };
  if (r.pathInfo !== '') env.PATH_TRANSLATED = r.docRoot.replace(/\/+$/, '') + r.pathInfo;
  for (const [name, value] of r.head.headers) {
    if (SKIP.has(name) || name.includes('_')) continue;
    if (CREDENTIALS.has(name) && !r.passAuth) continue;
    const key = `HTTP_${name.toUpperCase().replace(/-/g, '_')}`;
    const prev = env[key];
    env[key] = prev === undefined ? value : `${prev}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return env;
}

/**
 * The ways to split a decoded URL path under a CGI prefix into script and PATH_INFO,
 * shortest script path first (the caller stats each until one is a file); null if the path
 * is not under the prefix.
 */
export function scriptCandidates(m: CgiMapping, path: string): { scriptName: string; file: string; pathInfo: string }[] | null {
  if (path !== m.url && !path.startsWith(m.url + '/')) return null;
  const rest = path.slice(m.url.length);
  const segs = rest.split('/');
  // segs[0] is '' (rest starts with '/'), trailing '' kept for a trailing slash in PATH_INFO.
  const out: { scriptName: string; file: string; pathInfo: string }[] = [];
  for (let i = 1; i < segs.length; i++) {
    if (segs[i] === '') break;
    const sub = segs.slice(1, i + 1).join('/');
    out.push({ scriptName: `${m.url}/${sub}`, file: `${m.dir.replace(/\/+$/, '')}/${sub}`, pathInfo: segs.length > i + 1 ? '/' + segs.slice(i + 1).join('/') : '' });
  }
  return out;
}

export class CgiOutputError extends Error {}

export type CgiResult =
  | { kind: 'document'; status: number; reason: string | null; headers: [string, string][]; length: number | null }
  | { kind: 'local-redirect'; location: string }
  | { kind: 'client-redirect'; status: number; reason: string | null; headers: [string, string][]; length: number | null };

/** Fields the server owns or that are hop-by-hop: dropped from a script's output. */
const DROP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection', 'date', 'server']);

/**
 * Finds the end of a CGI header block in `buf`: the index of the first body byte, or -1 if
 * the empty line has not come yet.
 */
export function cgiHeaderEnd(buf: Uint8Array): number {
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) {
    if (i === 0) return 1;
    if (buf[i - 1] === 10) return i + 1;
    if (buf[i - 1] === 13 && (i === 1 || buf[i - 2] === 10)) return i + 1;
  }
  return -1;
}

/**
 * The meaning of a script's header block (the bytes up to and including the empty line).
 *
 * Errors: CgiOutputError (→ 502) for a line that is not a field, a bad Status, a bad
 * Content-Length, or none of Content-Type / Location / Status.
 */
export function parseCgiHeaders(block: string): CgiResult {
  const lines = block.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  let status: number | null = null;
  let reasonText: string | null = null;
  let location: string | null = null;
  let type: string | null = null;
  let length: number | null = null;
  const other: [string, string][] = [];
  for (const l of lines) {
    const c = l.indexOf(':');
    if (c <= 0) throw new CgiOutputError(`malformed header line ${JSON.stringify(l.slice(0, 80))}`);
    const name = l.slice(0, c);
    if (!isToken(name)) throw new CgiOutputError(`malformed header name ${JSON.stringify(name.slice(0, 80))}`);
    const value = l.slice(c + 1).trim();
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new CgiOutputError(`control character in ${name}`);
    const lower = name.toLowerCase();
    if (lower === 'status') {
      const m = /^([1-5]\d\d)(?:[ \t]+(.*))?$/.exec(value);
      if (!m || status !== null) throw new CgiOutputError(`bad Status ${JSON.stringify(value.slice(0, 80))}`);
      status = Number(m[1]);
      reasonText = m[2] ? m[2] : null;
      if (status < 200) throw new CgiOutputError(`Status ${status}: interim responses are not allowed`);
    } else if (lower === 'location') {
      if (location !== null) throw new CgiOutputError('more than one Location');
      location = value;
    } else if (lower === 'content-type') {
      if (type !== null) throw new CgiOutputError('more than one Content-Type');
      type = value;
    } else if (lower === 'content-length') {
      if (!/^\d{1,15}$/.test(value) || (length !== null && length !== Number(value))) throw new CgiOutputError('bad Content-Length');
      length = Number(value);
    } else if (!DROP.has(lower)) other.push([lower, value]);
  }
  if (status === null && location === null && type === null) throw new CgiOutputError('no Content-Type, Location or Status');
  if (location !== null) {
    if (location.startsWith('/') && !location.startsWith('//')) {
      // local-redir-response (6.2.2): the Location alone; any body is dropped. With a Status,
      // a type or other fields it is sent to the client as it is.
      if (status === null && type === null && other.length === 0) return { kind: 'local-redirect', location };
    } else if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(location)) throw new CgiOutputError(`bad Location ${JSON.stringify(location.slice(0, 80))}`);
    const headers: [string, string][] = [['location', location], ...(type !== null ? [['content-type', type] as [string, string]] : []), ...other];
    return { kind: 'client-redirect', status: status ?? 302, reason: status === null ? null : reasonText, headers, length };
  }
  return { kind: 'document', status: status ?? 200, reason: reasonText, headers: type !== null ? [['content-type', type], ...other] : other, length };
}
