// Running a CGI script for a request: find it, spawn it in a process group of its own with
// the meta-variables, give it the body on stdin, read its header block, and answer.
//
// Failures and their answers: no script → 404; not executable → 403; spawn fails → 500;
// output that is not a CGI header block (cgi.ts) → 502; the script dies by a signal (a
// trap: the kernel writes a fault record) or exits before a header block → 502, with a
// line in the log naming the pid, so the fault record can be found; no header block within
// --cgi-timeout → the group is killed (SIGKILL) and the answer is 504. After the headers,
// the body streams to the client; the same timeout still holds, and a script killed then
// leaves a short body (the connection is closed so the client sees it).
import { promises as fsp } from 'node:fs';
import { cgiEnv, cgiHeaderEnd, CgiOutputError, parseCgiHeaders, scriptCandidates, type CgiMapping } from './cgi.ts';
import { header } from './parser.ts';
import { errorResponse, type Response } from './response.ts';
import type { Request } from './server.ts';
import type { CgiProcess, ExitStatus, Spawner } from './io.ts';

export interface CgiDeps {
  spawner: Spawner;
  stderrFd: number | null;
  software: string;
  docRoot: string;
  log: (severity: number, msg: string) => void;
}

const MAX_HEADER_BLOCK = 64 * 1024;

// What a candidate script path is, kept 1 s: a stat is a system call, and a JS process's
// system call is a round trip between threads. A script replaced or removed is seen within
// a second (and a removed one fails at spawn: 500).
type Kind = 'missing' | 'dir' | 'other' | 'noexec' | 'script';
const KIND_TTL_MS = 1000;
const kinds = new Map<string, { kind: Kind; at: number }>();

async function scriptKind(file: string): Promise<Kind> {
  const now = Date.now();
  const hit = kinds.get(file);
  if (hit && now - hit.at < KIND_TTL_MS) return hit.kind;
  let kind: Kind;
  try {
    const st = await fsp.stat(file);
    kind = st.isDirectory() ? 'dir' : !st.isFile() ? 'other' : (st.mode & 0o111) === 0 ? 'noexec' : 'script';
  } catch {
    kind = 'missing';
  }
  if (kinds.size > 10_000) kinds.clear();
  kinds.set(file, { kind, at: now });
  return kind;
}

/** How a wait status reads in the log: "exit 3", "killed by SIGSEGV". */
export function describeExit(s: ExitStatus): string {
  return s.signal ? `killed by ${s.signal}` : `exit ${s.code}`;
}

export async function handleCgi(req: Request, m: CgiMapping, deps: CgiDeps): Promise<Response | { redirect: string }> {
  const cands = scriptCandidates(m, req.path);
  if (!cands || !cands.length) return errorResponse(404);
  let found: { scriptName: string; file: string; pathInfo: string } | null = null;
  for (const c of cands) {
    const kind = await scriptKind(c.file);
    if (kind === 'missing') return errorResponse(404);
    if (kind === 'dir') continue;
    if (kind === 'other') return errorResponse(403);
    if (kind === 'noexec') return errorResponse(403, 'script is not executable');
    found = c;
    break;
  }
  if (!found) return errorResponse(404);
  const { cfg, head, conn } = req;
  const host = header(head, 'host');
  const serverName = cfg.serverName ?? (host ? host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '') : conn.localAddress);
  const env = cgiEnv({
    head, scriptName: found.scriptName, pathInfo: found.pathInfo, scriptFile: found.file, query: req.query,
    requestUri: head.target, contentLength: req.body ? req.body.length : null, remoteAddr: conn.remoteAddress,
    remotePort: conn.remotePort, serverAddr: conn.localAddress, serverPort: conn.localPort, serverName,
    docRoot: deps.docRoot, software: deps.software, passAuth: cfg.cgiPassAuth,
  });
  const slash = found.file.lastIndexOf('/');
  let proc: CgiProcess;
  try {
    proc = await deps.spawner.spawn({
      file: found.file, argv: [found.file.slice(slash + 1)], env, cwd: found.file.slice(0, slash) || '/', stderrFd: deps.stderrFd, stdin: req.body !== null,
    });
  } catch (e) {
    deps.log(3, `CGI ${found.scriptName}: spawn: ${(e as Error).message}`);
    return errorResponse(500, 'the script could not be started');
  }
  const what = `CGI ${found.scriptName} (pid ${proc.pid})`;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    deps.log(4, `${what}: killed after ${cfg.cgiTimeoutMs} ms (--cgi-timeout)`);
    proc.killGroup();
  }, cfg.cgiTimeoutMs);
  const feeding = proc.feed(req.body);
  // The header block.
  let buf: Uint8Array = new Uint8Array(0);
  let end = -1;
  let eof = false;
  try {
    while ((end = cgiHeaderEnd(buf)) < 0) {
      if (buf.length > MAX_HEADER_BLOCK) throw new CgiOutputError(`no end of headers in the first ${MAX_HEADER_BLOCK} bytes`);
      const c = await proc.read();
      if (!c.length) {
        eof = true;
        break;
      }
      buf = buf.length ? Buffer.concat([buf, c]) : c;
    }
  } catch (e) {
    return fail(502, `${what}: ${e instanceof CgiOutputError ? e.message : `reading its output: ${(e as Error).message}`}`);
  }
  if (eof) {
    const st = await proc.exited;
    if (timedOut) return fail(504, `${what}: no answer within ${cfg.cgiTimeoutMs} ms`);
    if (st.signal) return fail(502, `${what}: ${describeExit(st)} before sending headers (see the kernel's fault record for pid ${proc.pid})`);
    return fail(502, buf.length ? `${what}: ${describeExit(st)}; output ended inside the header block` : `${what}: ${describeExit(st)} with no output`);
  }
  let result;
  try {
    result = parseCgiHeaders(Buffer.from(buf.subarray(0, end)).toString('latin1'));
  } catch (e) {
    if (!(e instanceof CgiOutputError)) throw e;
    return fail(502, `${what}: malformed output: ${e.message}`);
  }
  const rest = buf.subarray(end);
  if (result.kind === 'local-redirect') {
    // Drain and reap; the body of a local redirect is dropped.
    await drain(proc);
    clearTimeout(timer);
    await feeding;
    return { redirect: result.location };
  }
  let done = false;
  let cancelled = false;
  const finish = async (): Promise<void> => {
    if (done) return;
    done = true;
    const st = await proc.exited;
    clearTimeout(timer);
    if (!cancelled && (st.signal || st.code !== 0)) deps.log(st.signal ? 3 : 4, `${what}: ${describeExit(st)}${st.signal && !timedOut ? ` (see the kernel's fault record for pid ${proc.pid})` : ''}`);
  };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (rest.length) yield rest;
    for (;;) {
      const c = await proc.read();
      if (!c.length) break;
      yield c;
    }
    // A script killed (the timeout, a trap) left its body short: fail the stream so the
    // client sees a cut response, not a complete one. The exit usually comes with the end of
    // output; one that lingers is reaped in the background (until the timeout).
    let t: ReturnType<typeof setTimeout> | undefined;
    const st = await Promise.race([proc.exited, new Promise<null>((r) => (t = setTimeout(() => r(null), 20)))]);
    clearTimeout(t);
    void finish();
    if (timedOut) throw new Error(`${what}: killed after ${cfg.cgiTimeoutMs} ms with the body unfinished`);
    if (st?.signal) throw new Error(`${what}: ${describeExit(st)} with the body unfinished`);
  }
  const headers = result.headers;
  const status = result.status;
  return {
    status, headers, ...(result.reason ? { reason: result.reason } : {}),
    body: {
      kind: 'stream', length: result.length, chunks: chunks(),
      cancel: () => {
        if (!done) {
          cancelled = true;
          proc.killGroup();
          void finish();
        }
        // Whatever is left in the pipe is not wanted (the stream is done or abandoned).
        proc.release();
      },
    },
  };

  async function fail(status: number, msg: string): Promise<Response> {
    proc.killGroup();
    clearTimeout(timer);
    deps.log(status === 504 ? 4 : 3, msg);
    await proc.exited;
    proc.release();
    return { ...errorResponse(status), close: false };
  }
}

async function drain(proc: CgiProcess): Promise<void> {
  for (;;) {
    const c = await proc.read();
    if (!c.length) break;
  }
  await proc.exited;
}
