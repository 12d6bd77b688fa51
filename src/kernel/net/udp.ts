// UDP sockets (AF_INET, AF_INET6 with SOCK_DGRAM) through the host: node:dgram on the
// kernel thread. Bound by bind() (the listen policy picks the host address, as for TCP) or,
// at the first send, to an ephemeral port on the wildcard address, as Linux autobinds.
// Datagrams received wait in a queue bounded by SO_RCVBUF bytes; past it they are dropped,
// as a full Linux socket drops them. Sends are handed to the host at once; while SO_SNDBUF
// bytes are in flight a send waits. connect() sets the default destination and filters
// what is received to that peer; it is kernel state (the host socket stays unconnected).
import dgram from 'node:dgram';
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Process } from '../proc/process.ts';
import { AF, type InetAddr, normalizeAddress, type SockAddr, SOCK } from './addr.ts';
import { MSG, type Received, SHUT, Socket, WOULD_BLOCK } from './socket.ts';
import { hostErrno, type NetStack } from './stack.ts';

/** The largest UDP payload (IPv4: 65535 − 20 − 8). */
const MAX_DATAGRAM = 65507;

interface Datagram {
  data: Buffer;
  from: InetAddr;
}

export class UdpSocket extends Socket {
  private readonly family: 'inet' | 'inet6';
  private host: dgram.Socket | null = null;
  private local: InetAddr | null = null;
  private peer: InetAddr | null = null;
  private readonly queue: Datagram[] = [];
  private queued = 0;
  private inFlight = 0;
  private opRunning = false;
  private opErr = 0;
  private rdShut = false;
  private wrShut = false;
  private guestPort = 0;

  constructor(stack: NetStack, domain: number, flags: number) {
    super(stack, domain, SOCK.DGRAM, flags);
    this.family = domain === AF.INET ? 'inet' : 'inet6';
  }

  private open(): dgram.Socket {
    const s = dgram.createSocket({ type: this.family === 'inet' ? 'udp4' : 'udp6', ipv6Only: this.family === 'inet6' && this.opt.v6only });
    this.host = s;
    const handle = { destroy: () => s.close() };
    this.stack.handles.add(handle);
    s.on('close', () => this.stack.handles.delete(handle));
    s.on('error', (e) => {
      this.error = hostErrno(e);
      this.readers.wake();
    });
    s.on('message', (data, rinfo) => {
      if (this.rdShut || this.queued + data.length > this.opt.rcvbuf) return; // dropped, as a full socket does
      const from: InetAddr = { family: this.family, address: normalizeAddress(this.family, rinfo.address), port: rinfo.port };
      if (this.peer && (this.peer.port !== from.port || !sameHost(this.peer, from))) return;
      this.queue.push({ data, from });
      this.queued += data.length;
      this.readers.wake();
    });
    return s;
  }

  private startBind(p: Process | null, host: string, port: number, guest: InetAddr | null): Promise<void> {
    const s = this.open();
    this.opRunning = true;
    this.opErr = 0;
    return new Promise<void>((resolve) => {
      const failed = (e: Error): void => {
        this.opRunning = false;
        this.opErr = hostErrno(e);
        this.host = null;
        try {
          s.close();
        } catch { /* not open */ }
        this.writers.wake();
        resolve();
      };
      s.once('error', failed);
      s.bind({ address: host, port, exclusive: true }, () => {
        s.off('error', failed);
        const ha = s.address();
        const gport = guest && guest.port !== 0 ? guest.port : ha.port;
        this.local = { family: this.family, address: guest ? guest.address : normalizeAddress(this.family, ha.address), port: gport };
        if (guest) {
          this.guestPort = gport;
          this.stack.setGuestPort('udp', gport, { host: ha.address, port: ha.port }, p);
        }
        if (this.opt.broadcast) s.setBroadcast(true);
        this.opRunning = false;
        this.writers.wake();
        resolve();
      });
    });
  }

  /** Errors: EINVAL (already bound), EADDRINUSE; the host's. */
  override bind(p: Process, a: SockAddr): Promise<void> | null {
    if (a.family === 'unix') return fail(E.AFNOSUPPORT);
    if (this.local !== null || this.opRunning || this.host !== null) fail(E.INVAL);
    if (a.port !== 0 && this.stack.guestPortInUse('udp', a.port)) fail(E.ADDRINUSE);
    const t = this.stack.hostBindTarget(a);
    return this.startBind(p, t.host, t.port, a);
  }

  override opResult(): number {
    if (this.opRunning) return WOULD_BLOCK;
    const r = this.opErr;
    this.opErr = 0;
    return r;
  }

  /** Sets (or with null, AF_UNSPEC, clears) the default destination. Errors: EACCES (egress). */
  override connect(p: Process, a: SockAddr | null): Promise<void> | null {
    if (a === null) {
      this.peer = null;
      return null;
    }
    if (a.family === 'unix') return fail(E.AFNOSUPPORT);
    this.stack.route(p, 'udp', a);
    this.peer = a;
    // Datagrams from others that already wait are dropped, as Linux drops them on connect.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const d = this.queue[i]!;
      if (d.from.port !== a.port || !sameHost(a, d.from)) {
        this.queued -= d.data.length;
        this.queue.splice(i, 1);
      }
    }
    if (this.host === null) return this.startBind(p, this.family === 'inet' ? '0.0.0.0' : '::', 0, null);
    return null;
  }

  /** A datagram: cut to dst (truncated set, the rest dropped) unless peeking. Errors: a pending host error. */
  override recvfrom(dst: Uint8Array, flags: number): Received | typeof WOULD_BLOCK {
    const d = this.queue[0];
    if (!d) {
      if (this.error !== 0) {
        const e = this.error;
        this.error = 0;
        return fail(e);
      }
      if (this.rdShut) return { n: 0, from: null, truncated: false };
      return WOULD_BLOCK;
    }
    const n = Math.min(dst.length, d.data.length);
    dst.set(n === d.data.length ? d.data : d.data.subarray(0, n));
    if ((flags & MSG.PEEK) === 0) {
      this.queue.shift();
      this.queued -= d.data.length;
    }
    return { n, from: d.from, truncated: n < d.data.length };
  }

  /** Errors: EDESTADDRREQ (no destination), EISCONN (a destination on a connected socket: Linux allows it; we too), EMSGSIZE, EACCES (egress), EPIPE (shut down). */
  override sendto(p: Process, src: Uint8Array, _flags: number, to: SockAddr | null): number | typeof WOULD_BLOCK {
    if (this.wrShut) return fail(E.PIPE);
    const dest = (to ?? this.peer) as InetAddr | null;
    if (dest === null) return fail(E.DESTADDRREQ);
    if (dest.family === 'unix' as string) return fail(E.AFNOSUPPORT);
    if (src.length > MAX_DATAGRAM) return fail(E.MSGSIZE);
    if (this.error !== 0) {
      const e = this.error;
      this.error = 0;
      return fail(e);
    }
    const route = this.stack.route(p, 'udp', dest);
    if (this.inFlight > 0 && this.inFlight + src.length > this.opt.sndbuf) return WOULD_BLOCK;
    const data = Buffer.allocUnsafeSlow(src.length);
    data.set(src);
    this.inFlight += data.length;
    if (this.host === null || this.opRunning) {
      // Not bound yet: bound now to an ephemeral port (as Linux autobinds), the datagram sent once it is.
      const bound = this.host === null ? this.startBind(p, this.family === 'inet' ? '0.0.0.0' : '::', 0, null) : this.bindDone();
      const hs = this.host!;
      void bound.then(() => {
        if (this.opErr === 0 && this.host === hs) this.transmit(hs, data, route); // closed meanwhile: it still goes
        else if (this.closed && this.opErr === 0) this.transmit(hs, data, route);
        else this.inFlight -= data.length;
      });
      return src.length;
    }
    this.transmit(this.host, data, route);
    return src.length;
  }

  /** Settles when a bind in progress has (startBind's promise is not kept). */
  private bindDone(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (!this.opRunning) resolve();
        else void this.writers.wait().then(check);
      };
      check();
    });
  }

  private transmit(host: dgram.Socket, data: Buffer, route: { host: string; port: number }): void {
    host.send(data, route.port, route.host, (err) => {
      this.inFlight -= data.length;
      if (err) this.error = hostErrno(err);
      this.writers.wake();
      // Closed while datagrams were on their way (the host sends asynchronously): close now.
      if (this.closed && this.inFlight === 0) closeHost(host);
    });
  }

  override shutdown(how: number): void {
    if (this.peer === null) fail(E.NOTCONN);
    if (how & SHUT.RD) {
      this.rdShut = true;
      this.readers.wake();
    }
    if (how & SHUT.WR) {
      this.wrShut = true;
      this.writers.wake();
    }
  }

  override localAddr(): SockAddr {
    return this.local ?? { family: this.family, address: this.family === 'inet' ? '0.0.0.0' : '::', port: 0 };
  }

  override peerAddr(): SockAddr {
    return this.peer ?? fail(E.NOTCONN);
  }

  override optionChanged(name: string): void {
    if (name === 'broadcast' && this.host && !this.opRunning) this.host.setBroadcast(this.opt.broadcast);
  }

  override readReady(): number {
    const d = this.queue[0];
    if (d) return d.data.length;
    return this.rdShut || this.error !== 0 ? 0 : -1;
  }

  override writeReady(): boolean {
    return this.inFlight < this.opt.sndbuf;
  }

  override close(): void {
    super.close();
    if (this.guestPort !== 0) this.stack.setGuestPort('udp', this.guestPort, null, null);
    const s = this.host;
    this.host = null;
    // What was sent still goes, as on Linux: the host socket closes once it has gone.
    if (s && this.inFlight === 0) closeHost(s);
    this.queue.length = 0;
  }
}

function closeHost(s: dgram.Socket): void {
  try {
    s.close();
  } catch { /* not bound yet, or closed already */ }
}

function sameHost(a: InetAddr, b: InetAddr): boolean {
  if (a.address === b.address) return true;
  const strip = (s: string): string => (s.startsWith('::ffff:') ? s.slice(7) : s);
  const x = strip(a.address), y = strip(b.address);
  if (x === y) return true;
  // A datagram to 0.0.0.0 or a loopback address comes back from 127.0.0.1.
  const local = (s: string): boolean => s === '0.0.0.0' || s === '::' || s === '::1' || s.startsWith('127.');
  return local(x) && local(y);
}
