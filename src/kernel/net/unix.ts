// Unix-domain sockets (AF_UNIX), entirely inside the kernel: no host socket is involved.
//
// Names. bind() creates a socket inode at its path (Vnode.mksock: tmpfs holds them; other
// filesystems answer EOPNOTSUPP) and the stack maps that inode to the socket; connect() and
// sendto() resolve the path (from the caller's cwd and root, following symlinks, as Linux)
// and look the inode up. The inode outlives the socket, as on Linux: binding the path again
// is EADDRINUSE until it is unlinked, and connecting to it is ECONNREFUSED. A path that
// starts with NUL is Linux's abstract namespace: a name in the stack, no inode.
//
// Streams. A connection is two UnixStreamSockets, each the other's `peer`; a send copies
// into the peer's receive queue (bounded by its SO_RCVBUF; a full queue makes the sender
// wait) and wakes it. connect() completes at once, as on Linux: the server side waits in
// the listener's accept queue (a full queue makes connect wait, or EAGAIN).
// Datagrams: each send is one message in the receiver's queue, with the sender's name.
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Process } from '../proc/process.ts';
import type { Vnode } from '../vfs/vnode.ts';
import { WaitQueue } from '../wait-queue.ts';
import { type SockAddr, SOCK, type UnixAddr } from './addr.ts';
import { ByteQueue, copyBytes, MSG, type Received, SHUT, Socket, SOMAXCONN, WOULD_BLOCK } from './socket.ts';
import type { NetStack } from './stack.ts';

const UNNAMED: UnixAddr = { family: 'unix', path: '' };
let autobindSeq = 0;

/** Where a name is: an inode found by path, or an abstract name. */
function lookup(stack: NetStack, p: Process, path: string): Socket | null {
  if (path.startsWith('\0')) return stack.unixAbstract.get(path) ?? null;
  const loc = stack.k.ns.resolve({ root: p.root, beneath: false }, p.cwd, path, true);
  return stack.unixBound.get(loc.vnode) ?? null;
}

/** Creates the name for `sock`. Errors: EADDRINUSE (the name exists), the path's (ENOENT, ENOTDIR, EROFS, EOPNOTSUPP...). */
function bindName(stack: NetStack, p: Process, sock: Socket, a: UnixAddr): { vnode: Vnode | null; name: UnixAddr } {
  let path = a.path;
  if (path === '') {
    // Linux's autobind: an abstract name of five hex digits.
    do path = '\0' + ((autobindSeq++ & 0xfffff).toString(16).padStart(5, '0'));
    while (stack.unixAbstract.has(path));
  }
  if (path.startsWith('\0')) {
    if (stack.unixAbstract.has(path)) fail(E.ADDRINUSE);
    stack.unixAbstract.set(path, sock);
    return { vnode: null, name: { family: 'unix', path } };
  }
  const ns = stack.k.ns;
  const pl = ns.resolveParent({ root: p.root, beneath: false }, p.cwd, path);
  if (pl.name === '.' || pl.name === '..' || pl.trailingSlash || ns.mountAt(pl.dir, pl.name)) fail(E.ADDRINUSE);
  let vnode: Vnode;
  try {
    vnode = pl.dir.vnode.mksock(pl.name, 0o777 & ~p.umask);
  } catch (e) {
    if ((e as { errno?: number }).errno === E.EXIST) fail(E.ADDRINUSE);
    throw e;
  }
  stack.unixBound.set(vnode, sock);
  return { vnode, name: { family: 'unix', path } };
}

function unbindName(stack: NetStack, sock: Socket, vnode: Vnode | null, name: UnixAddr | null): void {
  if (vnode) {
    if (stack.unixBound.get(vnode) === sock) stack.unixBound.delete(vnode);
  } else if (name && name.path.startsWith('\0') && stack.unixAbstract.get(name.path) === sock) {
    stack.unixAbstract.delete(name.path);
  }
}

export class UnixStreamSocket extends Socket {
  private state: 'init' | 'listening' | 'connected' = 'init';
  private name: UnixAddr | null = null;
  private vnode: Vnode | null = null;
  private peerName: UnixAddr = UNNAMED;
  private peer: UnixStreamSocket | null = null;
  private readonly rq = new ByteQueue();
  private rdShut = false;
  private wrShut = false;
  /** The peer shut its writing side: end of stream once the queue is read. */
  private peerWrShut = false;
  private peerClosed = false;
  private backlog = 0;
  private readonly acceptq: UnixStreamSocket[] = [];
  /** Room in the accept queue (connect waits on it). */
  private readonly room = new WaitQueue();
  /** A connect waiting for room in `target`'s accept queue. */
  private target: UnixStreamSocket | null = null;

  constructor(stack: NetStack, flags: number) {
    super(stack, 3, SOCK.STREAM, flags);
  }

  static pair(stack: NetStack, flags: number): [UnixStreamSocket, UnixStreamSocket] {
    const a = new UnixStreamSocket(stack, flags);
    const b = new UnixStreamSocket(stack, flags);
    a.link(b);
    return [a, b];
  }

  private link(b: UnixStreamSocket): void {
    this.state = b.state = 'connected';
    this.peer = b;
    b.peer = this;
    this.peerName = b.name ?? UNNAMED;
    b.peerName = this.name ?? UNNAMED;
  }

  override get listening(): boolean {
    return this.state === 'listening';
  }
  override get connecting(): boolean {
    return this.target !== null;
  }

  /** Errors: EINVAL (already bound), EADDRINUSE, the path's. */
  override bind(p: Process, a: SockAddr): Promise<void> | null {
    if (a.family !== 'unix') return fail(E.INVAL);
    if (this.name !== null) fail(E.INVAL);
    const { vnode, name } = bindName(this.stack, p, this, a);
    this.vnode = vnode;
    this.name = name;
    return null;
  }

  /** Errors: EINVAL (connected, or not bound). */
  override listen(backlog: number): void {
    if (this.state === 'connected') fail(E.INVAL);
    if (this.name === null) fail(E.INVAL);
    this.backlog = backlog < 0 || backlog > SOMAXCONN ? SOMAXCONN : Math.max(1, backlog);
    this.state = 'listening';
    this.room.wake();
  }

  override accept(): Socket | typeof WOULD_BLOCK {
    if (this.state !== 'listening') return fail(E.INVAL);
    const s = this.acceptq.shift();
    if (!s) return WOULD_BLOCK;
    this.room.wake();
    return s;
  }

  /** Errors: EISCONN, EINVAL (listening), ENOENT (no such path), ECONNREFUSED (nobody listens there), EPROTOTYPE (a datagram socket), EAGAIN (non-blocking, queue full). */
  override connect(p: Process, a: SockAddr | null): Promise<void> | null {
    if (a === null || a.family !== 'unix') return fail(E.INVAL);
    if (this.state === 'connected') fail(E.ISCONN);
    if (this.state === 'listening') fail(E.INVAL);
    if (this.target !== null) fail(E.ALREADY);
    const t = lookup(this.stack, p, a.path);
    if (t === null) return fail(E.CONNREFUSED);
    if (!(t instanceof UnixStreamSocket)) return fail(E.PROTOTYPE);
    if (t.state !== 'listening' || t.closed) return fail(E.CONNREFUSED);
    if (this.tryConnect(t)) return null;
    if (this.nonblocking) fail(E.AGAIN);
    this.target = t;
    return t.room.wait();
  }

  private tryConnect(t: UnixStreamSocket): boolean {
    if (t.acceptq.length >= t.backlog) return false;
    const srv = new UnixStreamSocket(this.stack, 0);
    srv.name = t.name;
    srv.opt.rcvbuf = t.opt.rcvbuf;
    srv.opt.sndbuf = t.opt.sndbuf;
    this.link(srv);
    t.acceptq.push(srv);
    t.readers.wake();
    this.writers.wake();
    return true;
  }

  override opResult(): number {
    const t = this.target;
    if (t === null) return 0;
    if (t.state !== 'listening' || t.closed) {
      this.target = null;
      return E.CONNREFUSED;
    }
    if (!this.tryConnect(t)) return WOULD_BLOCK;
    this.target = null;
    return 0;
  }

  override waitWritable(): Promise<void> {
    return this.target ? this.target.room.wait() : this.writers.wait();
  }

  /** Errors: EINVAL (not connected); ECONNRESET once if the peer closed with data unread or unaccepted. */
  override recvfrom(dst: Uint8Array, flags: number): Received | typeof WOULD_BLOCK {
    if (this.state !== 'connected') return fail(E.INVAL);
    if (this.rq.size > 0 && !this.rdShut) {
      const n = this.rq.take(dst, (flags & MSG.PEEK) !== 0);
      // The writer is woken once half the queue is free, not at every read: it then refills
      // it in large writes instead of one per read.
      if (this.rq.size <= this.opt.rcvbuf >> 1) this.peer?.writers.wake();
      return { n, from: null, truncated: false };
    }
    if (this.error !== 0) {
      const e = this.error;
      this.error = 0;
      return fail(e);
    }
    if (this.rdShut || this.peerWrShut || this.peerClosed) return { n: 0, from: null, truncated: false };
    return WOULD_BLOCK;
  }

  /** Errors: ENOTCONN, EPIPE (shut down, or the peer is gone or shut its reading side). */
  override sendto(_p: Process, src: Uint8Array, _flags: number, _to: SockAddr | null): number | typeof WOULD_BLOCK {
    if (this.state !== 'connected') return fail(E.NOTCONN);
    const peer = this.peer;
    if (this.wrShut || peer === null || this.peerClosed || peer.rdShut) return fail(E.PIPE);
    if (src.length === 0) return 0;
    const room = peer.opt.rcvbuf - peer.rq.size;
    if (room <= 0) return WOULD_BLOCK;
    const n = Math.min(room, src.length);
    peer.rq.pushCopy(n === src.length ? src : src.subarray(0, n));
    peer.readers.wake();
    return n;
  }

  override shutdown(how: number): void {
    if (this.state !== 'connected') fail(E.NOTCONN);
    const peer = this.peer;
    if (how & SHUT.RD && !this.rdShut) {
      this.rdShut = true;
      this.rq.clear();
      this.readers.wake();
      peer?.writers.wake();
    }
    if (how & SHUT.WR && !this.wrShut) {
      this.wrShut = true;
      this.writers.wake();
      if (peer) {
        peer.peerWrShut = true;
        peer.readers.wake();
      }
    }
  }

  override localAddr(): SockAddr {
    return this.name ?? UNNAMED;
  }

  override peerAddr(): SockAddr {
    if (this.state !== 'connected') return fail(E.NOTCONN);
    return this.peerName;
  }

  override optionChanged(name: string): void {
    if (name === 'rcvbuf') this.peer?.writers.wake();
  }

  override readReady(): number {
    if (this.state === 'listening') return this.acceptq.length > 0 ? this.acceptq.length : -1;
    if (this.state === 'init') return 0;
    if (this.rq.size > 0 && !this.rdShut) return this.rq.size;
    return this.rdShut || this.peerWrShut || this.peerClosed || this.error !== 0 ? 0 : -1;
  }

  override writeReady(): boolean {
    if (this.state === 'listening') return false;
    if (this.target) return false;
    const peer = this.peer;
    if (this.state !== 'connected' || this.wrShut || peer === null || this.peerClosed || peer.rdShut) return true;
    return peer.rq.size < peer.opt.rcvbuf;
  }

  override hangup(): boolean {
    if (this.state === 'init') return this.target === null;
    if (this.state !== 'connected') return false;
    return this.peerClosed || ((this.rdShut || this.peerWrShut) && this.wrShut);
  }

  override close(): void {
    super.close();
    unbindName(this.stack, this, this.vnode, this.name);
    this.room.wake();
    for (const s of this.acceptq.splice(0)) {
      s.dropped();
      s.close();
    }
    const peer = this.peer;
    if (peer) {
      if (this.rq.size > 0) peer.error = E.CONNRESET; // closed with data unread: the peer sees a reset (Linux)
      peer.peerClosed = true;
      peer.peer = null;
      peer.readers.wake();
      peer.writers.wake();
    }
    this.peer = null;
    this.rq.clear();
  }

  /** Never accepted: its client sees a reset. */
  private dropped(): void {
    if (this.peer) this.peer.error = E.CONNRESET;
  }
}

interface Message {
  data: Uint8Array;
  from: UnixAddr;
}

export class UnixDgramSocket extends Socket {
  private name: UnixAddr | null = null;
  private vnode: Vnode | null = null;
  private peerName: UnixAddr | null = null;
  /** The connected peer (connect() or socketpair). */
  private peer: UnixDgramSocket | null = null;
  private readonly queue: Message[] = [];
  private queued = 0;
  private rdShut = false;
  private wrShut = false;
  /** Room in the queue (senders wait on it). */
  private readonly room = new WaitQueue();
  /** The receiver a send found full, whose room the sender waits for. */
  private blockedOn: UnixDgramSocket | null = null;

  constructor(stack: NetStack, flags: number) {
    super(stack, 3, SOCK.DGRAM, flags);
  }

  static pair(stack: NetStack, flags: number): [UnixDgramSocket, UnixDgramSocket] {
    const a = new UnixDgramSocket(stack, flags);
    const b = new UnixDgramSocket(stack, flags);
    a.peer = b;
    b.peer = a;
    a.peerName = b.peerName = UNNAMED;
    return [a, b];
  }

  override get completesWrites(): boolean {
    return false;
  }

  override bind(p: Process, a: SockAddr): Promise<void> | null {
    if (a.family !== 'unix') return fail(E.INVAL);
    if (this.name !== null) fail(E.INVAL);
    const { vnode, name } = bindName(this.stack, p, this, a);
    this.vnode = vnode;
    this.name = name;
    return null;
  }

  /** Sets the default peer (null: none). Errors: ENOENT, ECONNREFUSED (nobody bound there), EPROTOTYPE. */
  override connect(p: Process, a: SockAddr | null): Promise<void> | null {
    if (a === null) {
      this.peer = null;
      this.peerName = null;
      return null;
    }
    if (a.family !== 'unix') return fail(E.INVAL);
    const t = this.find(p, a);
    this.peer = t;
    this.peerName = a;
    return null;
  }

  private find(p: Process, a: UnixAddr): UnixDgramSocket {
    const t = lookup(this.stack, p, a.path);
    if (t === null || t.closed) return fail(E.CONNREFUSED);
    if (!(t instanceof UnixDgramSocket)) return fail(E.PROTOTYPE);
    return t;
  }

  override recvfrom(dst: Uint8Array, flags: number): Received | typeof WOULD_BLOCK {
    const m = this.queue[0];
    if (!m) return this.rdShut ? { n: 0, from: null, truncated: false } : WOULD_BLOCK;
    const n = Math.min(dst.length, m.data.length);
    dst.set(n === m.data.length ? m.data : m.data.subarray(0, n));
    if ((flags & MSG.PEEK) === 0) {
      this.queue.shift();
      this.queued -= m.data.length;
      this.room.wake();
    }
    return { n, from: m.from, truncated: n < m.data.length };
  }

  /** Errors: ENOTCONN (no destination), ECONNREFUSED (the peer is gone), EPERM (the receiver is connected to another), EMSGSIZE, EPIPE (shut down). */
  override sendto(p: Process, src: Uint8Array, _flags: number, to: SockAddr | null): number | typeof WOULD_BLOCK {
    if (this.wrShut) return fail(E.PIPE);
    let dest: UnixDgramSocket;
    if (to !== null) {
      if (to.family !== 'unix') return fail(E.INVAL);
      dest = this.find(p, to);
    } else {
      if (this.peer === null) return fail(this.peerName === null ? E.NOTCONN : E.CONNREFUSED);
      dest = this.peer;
      if (dest.closed) return fail(E.CONNREFUSED);
    }
    if (dest.peer !== null && dest.peer !== this) return fail(E.PERM);
    if (src.length > this.opt.sndbuf) return fail(E.MSGSIZE);
    if (dest.rdShut) return src.length; // dropped, as a datagram to a socket that reads no more
    if (dest.queue.length > 0 && dest.queued + src.length > dest.opt.rcvbuf) {
      this.blockedOn = dest;
      return WOULD_BLOCK;
    }
    this.blockedOn = null;
    dest.queue.push({ data: copyBytes(src, src.length), from: this.name ?? UNNAMED });
    dest.queued += src.length;
    dest.readers.wake();
    return src.length;
  }

  override waitWritable(): Promise<void> {
    const b = this.blockedOn;
    if (b && !b.closed) return b.room.wait();
    return this.writers.wait();
  }

  override shutdown(how: number): void {
    if (how & SHUT.RD) {
      this.rdShut = true;
      this.queue.length = 0;
      this.queued = 0;
      this.readers.wake();
    }
    if (how & SHUT.WR) {
      this.wrShut = true;
      this.writers.wake();
    }
  }

  override localAddr(): SockAddr {
    return this.name ?? UNNAMED;
  }

  override peerAddr(): SockAddr {
    return this.peerName ?? fail(E.NOTCONN);
  }

  override readReady(): number {
    const m = this.queue[0];
    if (m) return m.data.length;
    return this.rdShut ? 0 : -1;
  }

  override writeReady(): boolean {
    const d = this.peer;
    if (!d || d.closed) return true;
    return d.queue.length === 0 || d.queued < d.opt.rcvbuf;
  }

  override close(): void {
    super.close();
    unbindName(this.stack, this, this.vnode, this.name);
    this.room.wake();
    this.queue.length = 0;
    this.queued = 0;
  }
}
