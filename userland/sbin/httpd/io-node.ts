// Transport and Spawner over Node's own modules: node:net and node:child_process. On the
// host these are the host's (the tests run the server this way); inside isokernel they are
// the runtime's, on the kernel's sockets and processes.
import net from 'node:net';
import { spawn as cpSpawn } from 'node:child_process';
import type { ListenAddr } from './config.ts';
import { PullQueue, type CgiProcess, type Conn, type ExitStatus, type Listener, type SpawnRequest, type Spawner, type Transport } from './io.ts';

class NetConn implements Conn {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  private readonly s: net.Socket;
  private readonly q: PullQueue;

  constructor(s: net.Socket) {
    this.s = s;
    this.remoteAddress = (s.remoteAddress ?? '').replace(/^::ffff:/, '') || '127.0.0.1';
    this.remotePort = s.remotePort ?? 0;
    this.localAddress = (s.localAddress ?? '').replace(/^::ffff:/, '') || '127.0.0.1';
    this.localPort = s.localPort ?? 0;
    this.q = new PullQueue(() => s.pause(), () => s.resume());
    s.on('data', (c: Buffer) => this.q.push(c));
    s.on('end', () => this.q.end());
    s.on('close', () => this.q.end());
    s.on('error', (e) => this.q.fail(e));
    s.setNoDelay(true);
  }

  read(): Promise<Uint8Array> {
    return this.q.read();
  }

  write(data: Uint8Array): Promise<void> {
    if (this.s.destroyed) return Promise.reject(Object.assign(new Error('connection closed'), { code: 'EPIPE' }));
    return new Promise((res, rej) => {
      let done = false;
      const onErr = (e: Error): void => {
        if (!done) {
          done = true;
          rej(e);
        }
      };
      const onClose = (): void => onErr(Object.assign(new Error('connection closed'), { code: 'EPIPE' }));
      this.s.once('error', onErr);
      this.s.once('close', onClose);
      const finish = (): void => {
        this.s.off('error', onErr);
        this.s.off('close', onClose);
        if (!done) {
          done = true;
          res();
        }
      };
      if (this.s.write(data)) finish();
      else this.s.once('drain', finish);
    });
  }

  end(): void {
    this.s.end();
  }

  destroy(): void {
    this.s.destroy();
    this.q.end();
  }
}

class NetListener implements Listener {
  readonly name: string;
  readonly port: number;
  private readonly srv: net.Server;
  private readonly q: Conn[] = [];
  private waiter: { res: (c: Conn) => void; rej: (e: Error) => void } | null = null;
  private closed = false;

  constructor(srv: net.Server, name: string, port: number) {
    this.srv = srv;
    this.name = name;
    this.port = port;
    srv.on('connection', (s) => {
      const c = new NetConn(s);
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w.res(c);
      } else this.q.push(c);
    });
  }

  accept(): Promise<Conn> {
    const c = this.q.shift();
    if (c) return Promise.resolve(c);
    if (this.closed) return Promise.reject(new Error('listener closed'));
    return new Promise((res, rej) => {
      this.waiter = { res, rej };
    });
  }

  close(): void {
    this.closed = true;
    this.srv.close();
    if (this.waiter) {
      this.waiter.rej(new Error('listener closed'));
      this.waiter = null;
    }
  }
}

export const nodeTransport: Transport = {
  listen(addr: ListenAddr, backlog: number): Promise<Listener> {
    return new Promise((res, rej) => {
      const srv = net.createServer({ pauseOnConnect: false, noDelay: true });
      srv.once('error', rej);
      const done = (): void => {
        srv.off('error', rej);
        const a = srv.address();
        if (a && typeof a === 'object') res(new NetListener(srv, `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`, a.port));
        else res(new NetListener(srv, `unix:${String(a)}`, 0));
      };
      if ('path' in addr) srv.listen({ path: addr.path, backlog }, done);
      else srv.listen({ host: addr.host, port: addr.port, backlog }, done);
    });
  },
  connect(addr: ListenAddr): Promise<Conn> {
    return new Promise((res, rej) => {
      const s = 'path' in addr ? net.connect({ path: addr.path }) : net.connect({ host: addr.host, port: addr.port });
      s.once('error', rej);
      s.once('connect', () => {
        s.off('error', rej);
        res(new NetConn(s));
      });
    });
  },
};

export const nodeSpawner: Spawner = {
  async spawn(r: SpawnRequest): Promise<CgiProcess> {
    const child = cpSpawn(r.file, r.argv.slice(1), {
      argv0: r.argv[0], env: r.env, cwd: r.cwd, detached: true, stdio: [r.stdin ? 'pipe' : 'ignore', 'pipe', r.stderrFd ?? 'inherit'],
    });
    await new Promise<void>((res, rej) => {
      child.once('spawn', res);
      child.once('error', rej);
    });
    const out = child.stdout!;
    const q = new PullQueue(() => out.pause(), () => out.resume());
    out.on('data', (c: Buffer) => q.push(c));
    out.on('end', () => q.end());
    out.on('error', (e) => q.fail(e));
    const exited = new Promise<ExitStatus>((res) => child.once('exit', (code, signal) => res({ code, signal })));
    const stdin = child.stdin;
    stdin?.on('error', () => {});
    return {
      pid: child.pid!,
      feed(body) {
        if (!stdin) return Promise.resolve();
        return new Promise((res) => {
          if (body && body.length) stdin.end(body, () => res());
          else stdin.end(() => res());
          stdin.once('error', () => res());
        });
      },
      read: () => q.read(),
      exited,
      release() {
        out.destroy();
        q.end();
      },
      killGroup() {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      },
    };
  },
};
