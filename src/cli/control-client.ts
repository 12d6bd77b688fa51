// The host side of the control socket (src/image/control.ts): connects to a running kernel's
// STATE/control.sock and sends JSON-line requests. `request` waits for one reply; `stream`
// delivers each frame until the `end` frame; `send` adds a frame to a running request.
//
// Errors: ControlClientError with code ECONTROL_NOSOCK (no kernel runs with that state
// directory), ECONTROL_ACCESS (the socket belongs to another user), ECONTROL_CLOSED (the
// kernel went away mid-request).
import net from 'node:net';
import path from 'node:path';

export const CONTROL_SOCKET = 'control.sock';

/** Where `isokernel boot` keeps its state without --state or $ISOKERNEL_STATE (src/cli/boot.ts). */
export const DEFAULT_STATE_DIR = path.join('.isokernel-state', 'default');

export class ControlClientError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'ControlClientError';
  }
}

export type Frame = Record<string, unknown> & { id: number };

export class ControlClient {
  private readonly sock: net.Socket;
  private nextId = 1;
  private readonly handlers = new Map<number, (f: Frame) => void>();
  private closed = false;
  private readonly closers = new Set<(e: Error) => void>();

  private constructor(sock: net.Socket) {
    this.sock = sock;
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        let f: Frame;
        try {
          f = JSON.parse(line) as Frame;
        } catch {
          continue;
        }
        this.handlers.get(f.id)?.(f);
      }
    });
    const gone = (): void => {
      if (this.closed) return;
      this.closed = true;
      const e = new ControlClientError('ECONTROL_CLOSED', 'the kernel closed the control connection');
      for (const fn of this.closers) fn(e);
    };
    sock.on('close', gone);
    sock.on('error', gone);
  }

  /** Connects to STATE/control.sock. */
  static connect(stateDir: string): Promise<ControlClient> {
    const p = path.join(path.resolve(stateDir), CONTROL_SOCKET);
    return new Promise((resolve, reject) => {
      const s = net.connect(p);
      s.once('connect', () => resolve(new ControlClient(s)));
      s.once('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EACCES' || e.code === 'EPERM') {
          reject(new ControlClientError('ECONTROL_ACCESS', `${p}: permission denied (the kernel belongs to another user)`));
        } else if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'ENOTDIR') {
          reject(new ControlClientError('ECONTROL_NOSOCK', `no kernel is running with state directory ${path.resolve(stateDir)} (${p}: ${e.code}); boot one with \`isokernel boot IMAGE --state DIR\` or name its --state`));
        } else {
          reject(new ControlClientError('ECONTROL_CONNECT', `${p}: ${e.message}`));
        }
      });
    });
  }

  /** Sends a request and delivers its frames to `onFrame` until the end frame (or the one reply). */
  stream(op: string, params: Record<string, unknown>, onFrame: (f: Frame) => void): { id: number; done: Promise<Frame> } {
    const id = this.nextId++;
    const done = new Promise<Frame>((resolve, reject) => {
      if (this.closed) return reject(new ControlClientError('ECONTROL_CLOSED', 'the control connection is closed'));
      const fail = (e: Error): void => {
        this.handlers.delete(id);
        reject(e);
      };
      this.closers.add(fail);
      this.handlers.set(id, (f) => {
        if (f.end === true || f.ok !== undefined) {
          this.handlers.delete(id);
          this.closers.delete(fail);
          resolve(f);
        } else onFrame(f);
      });
      this.sock.write(JSON.stringify({ ...params, op, id }) + '\n');
    });
    return { id, done };
  }

  /** A one-reply request: resolves with the reply (`ok` false replies too). */
  request(op: string, params: Record<string, unknown> = {}): Promise<Frame> {
    return this.stream(op, params, () => {}).done;
  }

  /** A frame to a running request (exec's stdin, a signal). */
  send(id: number, frame: Record<string, unknown>): void {
    if (!this.closed) this.sock.write(JSON.stringify({ ...frame, id }) + '\n');
  }

  close(): void {
    this.closed = true;
    this.sock.end();
    this.sock.destroy();
  }
}

/** --state DIR / --state=DIR out of `args` (the rest returned); else $ISOKERNEL_STATE, else DEFAULT_STATE_DIR (as `isokernel boot`). */
export function takeStateOption(args: string[]): { state: string; rest: string[] } | { error: string } {
  let state: string | null = null;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--state') {
      const v = args[++i];
      if (v === undefined) return { error: '--state needs a directory' };
      state = v;
    } else if (a.startsWith('--state=')) state = a.slice(8);
    else rest.push(a);
  }
  return { state: state ?? (process.env.ISOKERNEL_STATE || DEFAULT_STATE_DIR), rest };
}
