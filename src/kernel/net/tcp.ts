// TCP sockets (AF_INET, AF_INET6 with SOCK_STREAM) through the host: node:net on the kernel
// thread. A guest socket is, in turn: unbound or bound (`server` reserves the host address
// from bind on, since Node binds and listens in one step; connections that come before
// listen() are reset), listening (connections wait in `acceptq`, paused, until accept), or
// connected (a host net.Socket).
//
// A connection from a guest to a listener of the same kernel (a loopback address at a port a
// guest listens on) does not go through the host: the two sockets are joined in the kernel
// (`lpeer`), each send copying into the other's queue, as Unix-domain streams do (unix.ts).
//
// Receiving: the host socket's chunks are kept as they come (no copy) in a ByteQueue and
// copied once into the reader's buffer. When SO_RCVBUF bytes wait unread, the host socket is
// paused — the host's own TCP window then stops the peer — and resumed once the guest has
// read below it. Sending: each send copies what it moves into a Buffer for the host socket;
// once SO_SNDBUF bytes wait in the host socket's buffer, sends wait ('drain').
import net from 'node:net';
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Process } from '../proc/process.ts';
import { AF, type InetAddr, normalizeAddress, type SockAddr, SOCK } from './addr.ts';
import { ByteQueue, CHUNK_BYTES, chunkCopy, MSG, releaseChunk, type Received, SHUT, Socket, type SockOptions, SOMAXCONN, WOULD_BLOCK } from './socket.ts';
import { hostErrno, type NetStack } from './stack.ts';

type State = 'init' | 'listening' | 'connecting' | 'connected';

export class TcpSocket extends Socket {
  private state: State = 'init';
  /** The guest's view of its address, once bound or connected. */
  private local: InetAddr | null = null;
  private peer: InetAddr | null = null;
  private server: net.Server | null = null;
  /** Where `server` is on the host. */
  private hostPort = 0;
  private hostAddr = '';
  private backlog = 0;
  private readonly acceptq: (net.Socket | TcpSocket)[] = [];
  private host: net.Socket | null = null;
  /** The other end of a connection made inside the kernel (see the note above). */
  private lpeer: TcpSocket | null = null;
  private lpeerGone = false;
  /** Joined in the kernel and waiting in a listener's queue, not yet accepted. */
  private queued = false;
  private readonly rq = new ByteQueue();
  private paused = false;
  private eof = false;
  private rdShut = false;
  private wrShut = false;
  /** The host socket is gone (reset, error, destroyed): sends are EPIPE. */
  private broken = false;
  /** A bind or connect in progress, and the outcome of the last one not yet reported. */
  private opRunning = false;
  private opErr = 0;
  /** A non-blocking connect finished and no connect() call has said so yet (Linux: the next one returns 0). */
  private unreported = false;
  private readonly family: 'inet' | 'inet6';

  constructor(stack: NetStack, domain: number, flags: number) {
    super(stack, domain, SOCK.STREAM, flags);
    this.family = domain === AF.INET ? 'inet' : 'inet6';
  }

  override get listening(): boolean {
    return this.state === 'listening';
  }
  override get connecting(): boolean {
    return this.state === 'connecting';
  }
  get bound(): boolean {
    return this.local !== null;
  }

  // ---- bind, listen, accept ----

  /** Errors: EINVAL (already bound), EADDRINUSE (a guest port of this kernel); the host's, later. */
  override bind(p: Process, a: SockAddr): Promise<void> | null {
    if (a.family === 'unix') return fail(E.AFNOSUPPORT);
    if (this.local !== null || this.state !== 'init' || this.opRunning) fail(E.INVAL);
    if (a.port !== 0 && this.stack.guestPortInUse('tcp', a.port)) fail(E.ADDRINUSE);
    const target = this.stack.hostBindTarget(a);
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
    this.server = server;
    this.opRunning = true;
    this.opErr = 0;
    const handle = { destroy: () => server.close() };
    this.stack.handles.add(handle);
    server.on('close', () => this.stack.handles.delete(handle));
    server.on('connection', (s) => this.incoming(s));
    return new Promise<void>((resolve) => {
      const failed = (e: Error): void => {
        this.opRunning = false;
        this.opErr = hostErrno(e);
        this.server = null;
        server.close();
        this.stack.handles.delete(handle);
        resolve();
      };
      server.once('error', failed);
      server.listen({ host: target.host, port: target.port, backlog: 511, ipv6Only: this.family === 'inet6' && this.opt.v6only }, () => {
        server.off('error', failed);
        server.on('error', () => {}); // accept errors (EMFILE on the host): Node retries
        const ha = server.address() as net.AddressInfo;
        this.hostAddr = ha.address;
        this.hostPort = ha.port;
        const port = a.port !== 0 ? a.port : ha.port;
        if (this.closed || (a.port === 0 && this.stack.guestPortInUse('tcp', port))) {
          // Closed meanwhile, or (ephemeral mode) the host's port number is a guest port already.
          server.close();
          this.opRunning = false;
          this.opErr = this.closed ? E.BADF : E.ADDRINUSE;
          this.server = null;
          return resolve();
        }
        this.local = { family: this.family, address: a.address, port };
        this.stack.setGuestPort('tcp', port, { host: ha.address, port: ha.port, sock: this }, p);
        this.opRunning = false;
        resolve();
      });
    });
  }

  override opResult(): number {
    if (this.opRunning) return WOULD_BLOCK;
    const r = this.opErr;
    this.opErr = 0;
    if (r !== 0 && this.error === r) this.error = 0;
    return r;
  }

  /** Errors: EINVAL (connected, or not bound: the caller binds first), EISCONN is Linux's for connecting ones. */
  override listen(backlog: number): void {
    if (this.state === 'connected' || this.state === 'connecting') fail(E.INVAL);
    if (this.local === null || this.server === null) fail(E.INVAL);
    // Linux: a backlog above SOMAXCONN (a negative one included, as unsigned) is SOMAXCONN; 0 still admits one.
    this.backlog = backlog < 0 || backlog > SOMAXCONN ? SOMAXCONN : Math.max(1, backlog);
    this.state = 'listening';
  }

  private incoming(s: net.Socket): void {
    if (this.state !== 'listening' || this.closed || this.acceptq.length >= this.backlog) {
      s.resetAndDestroy();
      return;
    }
    s.on('error', () => {});
    const handle = { destroy: () => s.destroy() };
    this.stack.handles.add(handle);
    s.once('close', () => {
      this.stack.handles.delete(handle);
      const i = this.acceptq.indexOf(s);
      if (i >= 0) this.acceptq.splice(i, 1);
    });
    (s as { iskHandle?: object }).iskHandle = handle;
    this.acceptq.push(s);
    this.readers.wake();
  }

  /** Errors: EINVAL (not listening). */
  override accept(): Socket | typeof WOULD_BLOCK {
    if (this.state !== 'listening') return fail(E.INVAL);
    const s = this.acceptq.shift();
    if (!s) return WOULD_BLOCK;
    if (s instanceof TcpSocket) {
      s.queued = false;
      return s; // joined in the kernel (connectLocal)
    }
    s.removeAllListeners('close');
    const handle = (s as { iskHandle?: { destroy(): void } }).iskHandle;
    if (handle) this.stack.handles.delete(handle);
    const c = new TcpSocket(this.stack, this.domain, 0);
    c.opt.nodelay = this.opt.nodelay;
    c.opt.keepalive = this.opt.keepalive;
    c.opt.rcvbuf = this.opt.rcvbuf;
    c.opt.sndbuf = this.opt.sndbuf;
    const fam = this.family;
    const remote = s.remoteAddress;
    c.peer = remote === undefined ? { family: fam, address: fam === 'inet' ? '0.0.0.0' : '::', port: 0 }
      : { family: fam, address: normalizeAddress(fam, remote), port: s.remotePort ?? 0 };
    const la = s.localAddress;
    c.local = { family: fam, address: la === undefined ? this.local!.address : normalizeAddress(fam, la), port: this.local!.port };
    c.adopt(s);
    return c;
  }

  // ---- connect ----

  /** Errors: EISCONN, EAFNOSUPPORT (AF_UNSPEC), EACCES (egress policy); the host's later (SO_ERROR). */
  override connect(p: Process, a: SockAddr | null): Promise<void> | null {
    if (a === null || a.family === 'unix') return fail(E.AFNOSUPPORT);
    if (this.state === 'connected') {
      if (this.unreported) {
        this.unreported = false;
        return null;
      }
      return fail(E.ISCONN);
    }
    if (this.state === 'listening') fail(E.ISCONN);
    if (this.state === 'connecting') fail(E.ALREADY);
    if (this.opErr !== 0) {
      // A non-blocking connect failed and nothing took its error yet: this call reports it.
      const r = this.opErr;
      this.opErr = 0;
      this.error = 0;
      fail(r);
    }
    const l = this.stack.localListener(a);
    if (l instanceof TcpSocket) return this.connectLocal(l, a);
    const route = this.stack.route(p, 'tcp', a);
    if (this.server) {
      // Bound before connecting: the reservation goes; the host picks the source port.
      this.server.close();
      this.server = null;
      if (this.local) this.stack.setGuestPort('tcp', this.local.port, null, null);
      this.local = null;
    }
    const s = net.connect({
      host: route.host, port: route.port, allowHalfOpen: true, noDelay: this.opt.nodelay,
      keepAlive: this.opt.keepalive, family: this.family === 'inet' ? 4 : 6,
    });
    this.state = 'connecting';
    this.peer = a;
    this.opRunning = true;
    this.opErr = 0;
    this.unreported = false;
    this.attach(s);
    return new Promise<void>((resolve) => {
      s.once('connect', () => {
        this.opRunning = false;
        this.state = 'connected';
        this.unreported = this.nonblocking;
        const la = s.localAddress;
        this.local = { family: this.family, address: la ? normalizeAddress(this.family, la) : '0.0.0.0', port: s.localPort ?? 0 };
        this.writers.wake();
        this.readers.wake();
        resolve();
      });
      s.once('close', () => resolve());
    });
  }

  /** Joins this socket to a new one in `l`'s accept queue. Errors: ECONNREFUSED (the queue is full). */
  private connectLocal(l: TcpSocket, a: InetAddr): null {
    if (l.acceptq.length >= l.backlog) fail(E.CONNREFUSED);
    if (this.server) {
      this.server.close();
      this.server = null;
      if (this.local) this.stack.setGuestPort('tcp', this.local.port, null, null);
    }
    const loop = this.family === 'inet' ? '127.0.0.1' : '::1';
    const srv = new TcpSocket(this.stack, this.domain, 0);
    srv.opt.rcvbuf = l.opt.rcvbuf;
    srv.opt.sndbuf = l.opt.sndbuf;
    this.local = { family: this.family, address: loop, port: this.stack.nextEphemeralPort() };
    this.peer = a;
    srv.local = { family: this.family, address: a.address === '0.0.0.0' || a.address === '::' ? loop : a.address, port: l.local!.port };
    srv.peer = this.local;
    this.state = srv.state = 'connected';
    this.lpeer = srv;
    srv.lpeer = this;
    this.opErr = 0;
    srv.queued = true;
    l.acceptq.push(srv);
    l.readers.wake();
    this.writers.wake();
    return null;
  }

  private adopt(s: net.Socket): void {
    this.state = 'connected';
    this.attach(s);
    if (this.opt.nodelay) s.setNoDelay(true);
    if (this.opt.keepalive) s.setKeepAlive(true);
    s.resume();
  }

  private attach(s: net.Socket): void {
    this.host = s;
    const handle = { destroy: () => s.destroy() };
    this.stack.handles.add(handle);
    s.on('data', (b: Buffer) => {
      if (this.rdShut) return;
      this.rq.push(b);
      if (!this.paused && this.rq.size >= this.opt.rcvbuf) {
        this.paused = true;
        s.pause();
      }
      this.readers.wake();
    });
    s.on('end', () => {
      this.eof = true;
      this.readers.wake();
      this.writers.wake();
    });
    s.on('drain', () => this.writers.wake());
    s.on('error', (e: Error) => {
      const err = hostErrno(e);
      if (this.state === 'connecting') {
        this.state = 'init';
        this.opRunning = false;
        this.opErr = err;
        this.error = err;
        this.host = null;
      } else {
        this.error = err;
        this.broken = true;
      }
      this.readers.wake();
      this.writers.wake();
    });
    s.on('close', () => {
      this.stack.handles.delete(handle);
      this.broken = true;
      if (this.state === 'connecting') {
        this.state = 'init';
        this.opRunning = false;
        this.opErr ||= E.CONNREFUSED;
        this.host = null;
      }
      this.readers.wake();
      this.writers.wake();
    });
  }

  // ---- data ----

  /** Errors: ENOTCONN; ECONNRESET (once, after a reset; then end of stream). */
  override recvfrom(dst: Uint8Array, flags: number): Received | typeof WOULD_BLOCK {
    if (this.state !== 'connected') {
      if (this.state === 'connecting') return WOULD_BLOCK;
      if (this.state === 'init' && this.rdShut) return { n: 0, from: null, truncated: false };
      return fail(E.NOTCONN);
    }
    if (this.rq.size > 0) {
      const n = this.rq.take(dst, (flags & MSG.PEEK) !== 0);
      if (this.lpeer && this.rq.size <= (this.opt.rcvbuf + this.lpeer.opt.sndbuf) >> 1) this.lpeer.writers.wake(); // as unix.ts
      if (this.paused && this.rq.size < this.opt.rcvbuf) {
        this.paused = false;
        this.host?.resume();
      }
      return { n, from: null, truncated: false };
    }
    if (this.error !== 0 && this.broken && !this.eof) {
      const e = this.error;
      this.error = 0;
      this.eof = true;
      return fail(e);
    }
    if (this.eof || this.rdShut || this.broken) return { n: 0, from: null, truncated: false };
    return WOULD_BLOCK;
  }

  /** Errors: EPIPE (not connected, shut down, or the connection is gone), ECONNRESET (once). */
  override sendto(_p: Process, src: Uint8Array, _flags: number, _to: SockAddr | null): number | typeof WOULD_BLOCK {
    if (this.state === 'connecting') return WOULD_BLOCK;
    if (this.state !== 'connected' || this.wrShut) return fail(E.PIPE);
    if (this.host === null) return this.sendLocal(src);
    const s = this.host;
    if (this.broken || s.destroyed) {
      if (this.error !== 0) {
        const e = this.error;
        this.error = 0;
        return fail(e === E.CONNRESET ? e : E.PIPE);
      }
      return fail(E.PIPE);
    }
    if (src.length === 0) return 0;
    const room = this.opt.sndbuf - s.writableLength;
    if (room <= 0) return WOULD_BLOCK;
    const n = Math.min(room, src.length);
    // Copied into pooled chunks (socket.ts), given back once the host has taken them.
    for (let off = 0; off < n; off += CHUNK_BYTES) {
      const c = chunkCopy(src.subarray(off, Math.min(n, off + CHUNK_BYTES)));
      s.write(c, () => releaseChunk(c));
    }
    return n;
  }

  /** A send to the socket joined with this one: what fits in its queue (its SO_RCVBUF and our SO_SNDBUF). */
  private sendLocal(src: Uint8Array): number | typeof WOULD_BLOCK {
    const peer = this.lpeer;
    if (peer === null || this.lpeerGone) {
      if (this.error !== 0) {
        const e = this.error;
        this.error = 0;
        return fail(e === E.CONNRESET ? e : E.PIPE);
      }
      return fail(E.PIPE);
    }
    if (src.length === 0) return 0;
    const room = peer.opt.rcvbuf + this.opt.sndbuf - peer.rq.size;
    if (room <= 0) return WOULD_BLOCK;
    const n = Math.min(room, src.length);
    if (!peer.rdShut) {
      peer.rq.pushCopy(n === src.length ? src : src.subarray(0, n));
      peer.readers.wake();
    }
    return n;
  }

  /** The joined socket went: end of stream for this one (a reset if it left data unread). */
  private peerClosed(reset: boolean): void {
    this.lpeerGone = true;
    this.lpeer = null;
    this.eof = true;
    if (reset) {
      this.error = E.CONNRESET;
      this.broken = true;
    }
    this.readers.wake();
    this.writers.wake();
  }

  /** Errors: ENOTCONN. */
  override shutdown(how: number): void {
    if (this.state !== 'connected') {
      // Linux marks an unconnected socket shut all the same (a later recv is end of stream), then says ENOTCONN.
      if (how & SHUT.RD) this.rdShut = true;
      if (how & SHUT.WR) this.wrShut = true;
      fail(E.NOTCONN);
    }
    if (how & SHUT.RD && !this.rdShut) {
      this.rdShut = true;
      this.rq.clear();
      if (this.paused) {
        this.paused = false;
        this.host?.resume();
      }
      this.readers.wake();
    }
    if (how & SHUT.WR && !this.wrShut) {
      this.wrShut = true;
      if (!this.broken) this.host?.end();
      const peer = this.lpeer;
      if (peer) {
        peer.eof = true;
        peer.readers.wake();
      }
      this.writers.wake();
    }
  }

  override localAddr(): SockAddr {
    return this.local ?? { family: this.family, address: this.family === 'inet' ? '0.0.0.0' : '::', port: 0 };
  }

  override peerAddr(): SockAddr {
    if (this.state !== 'connected' || this.peer === null) return fail(E.NOTCONN);
    return this.peer;
  }

  override optionChanged(name: keyof SockOptions): void {
    if (name === 'rcvbuf') this.lpeer?.writers.wake();
    const s = this.host;
    if (!s || s.destroyed) return;
    if (name === 'nodelay') s.setNoDelay(this.opt.nodelay);
    else if (name === 'keepalive') s.setKeepAlive(this.opt.keepalive);
    else if (name === 'rcvbuf' && this.paused && this.rq.size < this.opt.rcvbuf) {
      this.paused = false;
      s.resume();
    } else if (name === 'sndbuf') this.writers.wake();
  }

  // ---- poll ----

  override readReady(): number {
    switch (this.state) {
      case 'listening': return this.acceptq.length > 0 ? this.acceptq.length : -1;
      case 'connecting': return -1;
      case 'init': return 0;
      default:
        if (this.rq.size > 0) return this.rq.size;
        return this.eof || this.rdShut || this.broken ? 0 : -1;
    }
  }

  override writeReady(): boolean {
    switch (this.state) {
      case 'listening': return false;
      case 'connecting': return false;
      case 'init': return true;
      default:
        if (this.wrShut || this.broken || this.lpeerGone) return true;
        if (this.lpeer) return this.lpeer.rq.size < this.lpeer.opt.rcvbuf + this.opt.sndbuf;
        if (!this.host) return true;
        return this.host.writableLength < this.opt.sndbuf;
    }
  }

  override hangup(): boolean {
    if (this.state === 'init') return true;
    if (this.state !== 'connected') return false;
    return this.broken || ((this.eof || this.rdShut) && this.wrShut);
  }

  // ---- close ----

  override close(): void {
    super.close();
    if (this.server) {
      this.server.close();
      this.server = null;
      if (this.local && this.state !== 'connected') this.stack.setGuestPort('tcp', this.local.port, null, null);
    }
    for (const s of this.acceptq.splice(0)) {
      if (s instanceof TcpSocket) s.close(); // its client sees a reset (below: unaccepted)
      else s.resetAndDestroy();
    }
    const peer = this.lpeer;
    if (peer) {
      this.lpeer = null;
      peer.peerClosed(this.rq.size > 0 || (this.opt.linger[0] && this.opt.linger[1] === 0) || this.queued);
    }
    const s = this.host;
    this.host = null;
    if (!s || s.destroyed) return;
    if (this.state === 'connecting' || this.broken) {
      s.destroy();
    } else if (this.rq.size > 0 || (this.opt.linger[0] && this.opt.linger[1] === 0)) {
      s.resetAndDestroy(); // unread data (or SO_LINGER 0): Linux resets the connection
    } else {
      // A graceful close: what was written goes out, then FIN; what still comes is dropped.
      s.removeAllListeners('data');
      s.resume();
      s.destroySoon();
      s.setTimeout(60_000, () => s.destroy());
    }
    this.rq.clear();
  }
}
