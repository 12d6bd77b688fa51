// Responses as values: status, header fields and a body the connection loop writes (bytes,
// a range of a file, or a stream), and the helpers every handler shares (reason phrases,
// HTTP dates, error pages).

export interface FileBody {
  kind: 'file';
  path: string;
  start: number;
  /** Exclusive. */
  end: number;
}

export interface StreamBody {
  kind: 'stream';
  /** Chunks until the end; a throw after the head went out closes the connection. */
  chunks: AsyncIterable<Uint8Array>;
  /** The length when known (Content-Length), else the body is chunked (or close-delimited for HTTP/1.0). */
  length: number | null;
  /** Called once the stream is no longer read (finished, or the client went away). */
  cancel?: () => void;
}

export type Body = Uint8Array | FileBody | StreamBody;

export interface Response {
  status: number;
  /** A reason phrase other than the standard one (a CGI's `Status: 418 I'm a teapot`). */
  reason?: string;
  headers: [string, string][];
  body?: Body;
  /** Close the connection after this response. */
  close?: boolean;
}

export const STATUS_TEXT: Record<number, string> = {
  100: 'Continue', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 206: 'Partial Content',
  301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  411: 'Length Required', 412: 'Precondition Failed', 413: 'Content Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable', 417: 'Expectation Failed', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

export function reason(status: number): string {
  return STATUS_TEXT[status] ?? (status < 200 ? 'Informational' : status < 300 ? 'Success' : status < 400 ? 'Redirection' : status < 500 ? 'Client Error' : 'Server Error');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** IMF-fixdate (RFC 9110 5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT". */
export function httpDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT`;
}

/**
 * An HTTP date in any of the three forms RFC 9110 5.6.7 says recipients accept (IMF-fixdate,
 * RFC 850, asctime), as ms since the epoch; NaN if it is none of them.
 */
export function parseHttpDate(s: string): number {
  const imf = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d) (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d) GMT$/.exec(s);
  const rfc850 = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d\d)-(\w{3})-(\d\d) (\d\d):(\d\d):(\d\d) GMT$/.exec(s);
  const asc = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\w{3}) ([ \d]\d) (\d\d):(\d\d):(\d\d) (\d{4})$/.exec(s);
  let y: number, mon: string, d: number, h: number, mi: number, se: number;
  if (imf) [d, mon, y, h, mi, se] = [+imf[1]!, imf[2]!, +imf[3]!, +imf[4]!, +imf[5]!, +imf[6]!];
  else if (rfc850) {
    // Two-digit years: more than 50 years in the future means the past century (RFC 9110).
    const yy = +rfc850[3]!;
    const now = new Date().getUTCFullYear();
    y = 2000 + yy > now + 50 ? 1900 + yy : 2000 + yy;
    [d, mon, h, mi, se] = [+rfc850[1]!, rfc850[2]!, +rfc850[4]!, +rfc850[5]!, +rfc850[6]!];
  } else if (asc) [mon, d, h, mi, se, y] = [asc[1]!, +asc[2]!.trim(), +asc[3]!, +asc[4]!, +asc[5]!, +asc[6]!];
  else return NaN;
  const m = MONTHS.indexOf(mon);
  if (m < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return NaN;
  return Date.UTC(y, m, d, h, mi, se);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small HTML error page. */
export function errorResponse(status: number, detail?: string, headers: [string, string][] = []): Response {
  const text = `${status} ${reason(status)}`;
  const body = Buffer.from(`<!DOCTYPE html>\n<html><head><title>${text}</title></head><body><h1>${text}</h1>${detail ? `<p>${escapeHtml(detail)}</p>` : ''}</body></html>\n`);
  return { status, headers: [['content-type', 'text/html; charset=utf-8'], ...headers], body };
}

/** The length of a body when it is known in advance. */
export function bodyLength(b: Body | undefined): number | null {
  if (b === undefined) return 0;
  if (b instanceof Uint8Array) return b.length;
  if (b.kind === 'file') return b.end - b.start;
  return b.length;
}
