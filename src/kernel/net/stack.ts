// The kernel's network stack: one per kernel (Kernel.net). It makes sockets, holds the
// policy (which destinations a guest may connect to, which host addresses its listeners
// bind), the names Unix-domain sockets are bound to, and every host handle, so that a
// kernel that shuts down leaves nothing open on the host.
//
// Guest ports and host ports. A guest binds a port as it would on Linux; the host address
// and port it gets are the policy's: `listen` maps guest ports to host address:port (the
// manifest's network.listen); other ports bind on `listenHost` (127.0.0.1 / ::1 by default)
// at the same port number, or, with `unlisted: 'ephemeral'` (images), at a port the host
// picks, so a service inside an image is not exposed at a known host port. The guest sees
// its own port in getsockname. A connection from a guest to a loopback (or unspecified)
// address at a port a guest of this kernel listens on goes to that listener — whatever the
// egress policy says: the image's own services are always reachable from inside it.
import dc from 'node:diagnostics_channel';
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import type { Vnode } from '../vfs/vnode.ts';
import { AF, type InetAddr, isLoopback, isUnspecified, SOCK } from './addr.ts';
import { EgressPolicy } from './policy.ts';
import type { Socket } from './socket.ts';
import { TcpSocket } from './tcp.ts';
import { UdpSocket } from './udp.ts';
import { UnixDgramSocket, UnixStreamSocket } from './unix.ts';

/** { time, pid, program, proto, address, port, policy } for each connection or datagram the egress policy refused. */
export const netRefused = dc.channel('isokernel:net:refused');
/** { pid, proto, guest: 'addr:port', host: 'addr:port' } when a guest socket starts listening (or binds, for UDP) on the host. */
export const netListen = dc.channel('isokernel:net:listen');

export interface ListenMapping {
  /** The guest's port. */
  port: number;
  /** The host address and port it binds. */
  host: string;
  hostPort: number;
}

/** BootOptions.network. */
export interface NetworkOptions {
  /**
   * Outbound destinations guests may reach (policy.ts has the syntax), or 'any'. Default
   * 'any' for an embedded kernel and `isokernel run`; booted images pass their manifest's
   * list, whose default is none.
   */
  egress?: 'any' | readonly string[];
  /** Guest ports bound at given host addresses and ports. */
  listen?: readonly ListenMapping[];
  /** The host address for guest ports not in `listen`: default '127.0.0.1' (IPv6 sockets: '::1' unless it is IPv6 itself). */
  listenHost?: string;
  /** Guest ports not in `listen`: bound at the same host port ('same', default) or at one the host picks ('ephemeral'). */
  unlisted?: 'same' | 'ephemeral';
  /**
   * TCP between two sockets of this kernel through the host's loopback, as any other
   * connection, instead of joining them in the kernel (default false: joined). For tests
   * and comparisons.
   */
  loopbackViaHost?: boolean;
}

export interface HostHandle {
  destroy(): void;
}

/** Where a guest listener is on the host, and (TCP) its socket, for connections from inside the kernel. */
interface GuestListener {
  host: string;
  port: number;
  sock?: Socket;
}

export class NetStack {
  readonly k: Kernel;
  readonly egress: EgressPolicy;
  private readonly listenMap = new Map<number, ListenMapping>();
  private readonly listenHost: string | null;
  readonly unlisted: 'same' | 'ephemeral';
  private readonly viaHost: boolean;
  /** Guest ports listened on by this kernel's sockets: `tcp:PORT` / `udp:PORT` → host endpoint. */
  private readonly guestPorts = new Map<string, GuestListener>();
  /** Unix-domain names: socket inodes → the socket bound there; abstract names. */
  readonly unixBound = new WeakMap<Vnode, Socket>();
  readonly unixAbstract = new Map<string, Socket>();
  /** Live host handles (servers, sockets), destroyed at shutdown. */
  readonly handles = new Set<HostHandle>();

  constructor(k: Kernel, o: NetworkOptions = {}) {
    this.k = k;
    this.egress = new EgressPolicy(o.egress ?? 'any');
    for (const m of o.listen ?? []) this.listenMap.set(m.port, m);
    this.listenHost = o.listenHost ?? null;
    this.unlisted = o.unlisted ?? 'same';
    this.viaHost = o.loopbackViaHost === true;
  }

  /**
   * socket(2). Errors: EAFNOSUPPORT (family), EPROTOTYPE / ESOCKTNOSUPPORT as EPROTOTYPE
   * (type), EPROTONOSUPPORT (a protocol that is not the type's).
   */
  create(domain: number, type: number, protocol: number, flags: number): Socket {
    if (domain !== AF.INET && domain !== AF.INET6 && domain !== AF.UNIX) fail(E.AFNOSUPPORT);
    if (type !== SOCK.STREAM && type !== SOCK.DGRAM) fail(E.PROTOTYPE);
    if (protocol !== 0) {
      const ok = domain === AF.UNIX ? false : type === SOCK.STREAM ? protocol === 6 : protocol === 17;
      if (!ok) fail(E.PROTONOSUPPORT);
    }
    if (domain === AF.UNIX) return type === SOCK.STREAM ? new UnixStreamSocket(this, flags) : new UnixDgramSocket(this, flags);
    return type === SOCK.STREAM ? new TcpSocket(this, domain, flags) : new UdpSocket(this, domain, flags);
  }

  /** socketpair(2): Unix-domain only (EOPNOTSUPP otherwise, as Linux). */
  pair(domain: number, type: number, protocol: number, flags: number): [Socket, Socket] {
    if (domain !== AF.UNIX) fail(domain === AF.INET || domain === AF.INET6 ? E.NOTSUP : E.AFNOSUPPORT);
    if (type !== SOCK.STREAM && type !== SOCK.DGRAM) fail(E.PROTOTYPE);
    if (protocol !== 0) fail(E.PROTONOSUPPORT);
    return type === SOCK.STREAM ? UnixStreamSocket.pair(this, flags) : UnixDgramSocket.pair(this, flags);
  }

  /** Where a guest bind of `a` goes on the host. */
  hostBindTarget(a: InetAddr): { host: string; port: number } {
    const m = a.port !== 0 ? this.listenMap.get(a.port) : undefined;
    if (m) return { host: m.host, port: m.hostPort };
    const v6 = a.family === 'inet6';
    let host = this.listenHost ?? (v6 ? '::1' : '127.0.0.1');
    if (v6 && this.listenHost !== null && !this.listenHost.includes(':')) host = this.listenHost === '0.0.0.0' ? '::' : '::1';
    return { host, port: this.unlisted === 'ephemeral' ? 0 : a.port };
  }

  /** A guest port is listened on (or released: host null). */
  setGuestPort(proto: 'tcp' | 'udp', port: number, host: GuestListener | null, p: Process | null): void {
    const key = `${proto}:${port}`;
    if (host === null) {
      this.guestPorts.delete(key);
      return;
    }
    this.guestPorts.set(key, host);
    if (netListen.hasSubscribers) {
      netListen.publish({ pid: p?.pid ?? 0, proto, guest: port, host: `${host.host}:${host.port}` });
    }
  }

  guestPortInUse(proto: 'tcp' | 'udp', port: number): boolean {
    return this.guestPorts.has(`${proto}:${port}`);
  }

  /**
   * The listening TCP socket of this kernel a connection to `a` reaches (a loopback or
   * unspecified address of the same family, at a port one listens on), or null. Such a
   * connection never goes through the host: the two sockets are joined in the kernel.
   */
  localListener(a: InetAddr): Socket | null {
    if (this.viaHost || (!isLoopback(a) && !isUnspecified(a))) return null;
    const l = this.guestPorts.get(`tcp:${a.port}`)?.sock;
    if (!l || l.closed || !l.listening) return null;
    return (l.domain === AF.INET) === (a.family === 'inet') ? l : null;
  }

  private ephemeral = 32768;
  /** A source port for a connection made inside the kernel (Linux's ephemeral range). */
  nextEphemeralPort(): number {
    const p = this.ephemeral;
    this.ephemeral = p >= 60999 ? 32768 : p + 1;
    return p;
  }

  /**
   * Where a connection (or datagram) to `a` goes on the host: to a listener of this kernel
   * if `a` names one, else to `a` if the egress policy allows it. Errors: EACCES (refused:
   * a record on isokernel:net:refused).
   */
  route(p: Process | null, proto: 'tcp' | 'udp', a: InetAddr): { host: string; port: number } {
    if (isLoopback(a) || isUnspecified(a)) {
      const l = this.guestPorts.get(`${proto}:${a.port}`);
      if (l) {
        let host = l.host;
        if (host === '0.0.0.0') host = '127.0.0.1';
        else if (host === '::') host = '::1';
        return { host, port: l.port };
      }
    }
    if (!this.egress.allows(a)) {
      if (netRefused.hasSubscribers) {
        netRefused.publish({
          time: new Date(), pid: p?.pid ?? 0, program: p?.name ?? '', proto, address: a.address, port: a.port,
          policy: this.egress.toString(),
        });
      }
      fail(E.ACCES);
    }
    let host = a.address;
    if (isUnspecified(a)) host = a.family === 'inet' ? '127.0.0.1' : '::1'; // Linux: connect to 0.0.0.0 is local
    return { host, port: a.port };
  }

  /** Destroys every host handle (kernel shutdown). */
  shutdown(): void {
    for (const h of [...this.handles]) {
      try {
        h.destroy();
      } catch { /* already gone */ }
    }
    this.handles.clear();
  }
}

/** Host error codes (node's err.code) → WASI errnos. */
export function hostErrno(e: unknown): number {
  const code = (e as { code?: string } | null)?.code ?? '';
  switch (code) {
    case 'EADDRINUSE': return E.ADDRINUSE;
    case 'EADDRNOTAVAIL': return E.ADDRNOTAVAIL;
    case 'EACCES': return E.ACCES;
    case 'EPERM': return E.PERM;
    case 'ECONNREFUSED': return E.CONNREFUSED;
    case 'ECONNRESET': return E.CONNRESET;
    case 'ECONNABORTED': return E.CONNABORTED;
    case 'EPIPE': return E.PIPE;
    case 'ETIMEDOUT': return E.TIMEDOUT;
    case 'EHOSTUNREACH': return E.HOSTUNREACH;
    case 'ENETUNREACH': return E.NETUNREACH;
    case 'ENETDOWN': return E.NETDOWN;
    case 'EAFNOSUPPORT': return E.AFNOSUPPORT;
    case 'EINVAL': return E.INVAL;
    case 'EMSGSIZE': return E.MSGSIZE;
    case 'ENOBUFS': return E.NOBUFS;
    case 'EMFILE': case 'ENFILE': return E.NFILE;
    default: return E.IO;
  }
}
