// Listening sockets made by the host for a program (`isokernel run --listen [ADDR:]PORT`,
// as wasmtime's --tcplisten): bound and listening before the program starts, and given to
// it as descriptors 3, 4, ... (before its preopened directories), with LISTEN_FDS=N in its
// environment (systemd's socket-activation convention). wasi-libc's accept() takes them
// (sock_accept); fd_prestat_get answers a preopen of an unknown kind for them, which
// wasi-libc's preopen scan passes over.
import { E } from '../../abi/wasi.ts';
import { KernelError } from '../errors.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import { AF, type InetAddr, parseIpv4, parseIpv6, SOCK } from './addr.ts';
import type { Socket } from './socket.ts';
import type { ListenMapping } from './stack.ts';

/** `[ADDR:]PORT` ([v6]:PORT for IPv6; ADDR defaults to 127.0.0.1). Throws KernelError EUSAGE. */
export function parseListenSpec(spec: string): InetAddr {
  const bad = (why: string): KernelError => new KernelError('EUSAGE', `--listen ${spec}: ${why} (expected [ADDR:]PORT, IPv6 as [ADDR]:PORT)`);
  let host = '127.0.0.1';
  let port = spec;
  if (spec.startsWith('[')) {
    const end = spec.indexOf(']');
    if (end < 0 || spec[end + 1] !== ':') throw bad('bad IPv6 address');
    host = spec.slice(1, end);
    port = spec.slice(end + 2);
  } else if (spec.includes(':')) {
    const i = spec.lastIndexOf(':');
    host = spec.slice(0, i);
    port = spec.slice(i + 1);
  }
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw bad(`bad port "${port}"`);
  if (host === 'localhost') host = '127.0.0.1';
  const v4 = parseIpv4(host) !== null;
  if (!v4 && parseIpv6(host) === null) throw bad(`"${host}" is not an IP address`);
  return { family: v4 ? 'inet' : 'inet6', address: host, port: Number(port) };
}

/** The mapping that makes the guest's port PORT the host's ADDR:PORT (for BootOptions.network.listen). */
export function listenMapping(a: InetAddr): ListenMapping {
  return { port: a.port, host: a.address, hostPort: a.port };
}

/** A socket bound to `a` and listening (backlog 511). Throws KernelError EADDRINUSE & co with the host's reason. */
export async function openListener(k: Kernel, a: InetAddr, backlog = 511): Promise<Socket> {
  const s = k.net.create(a.family === 'inet' ? AF.INET : AF.INET6, SOCK.STREAM, 0, 0);
  const wait = s.bind(null as unknown as Process, a);
  if (wait) await wait;
  const r = s.opResult();
  if (r !== 0) {
    s.close();
    const name = r === E.ADDRINUSE ? 'address in use' : r === E.ACCES ? 'permission denied' : r === E.ADDRNOTAVAIL ? 'address not available' : `error ${r}`;
    throw new KernelError('ELISTEN', `--listen ${a.family === 'inet6' ? `[${a.address}]` : a.address}:${a.port}: ${name}`);
  }
  s.listen(backlog);
  s.preopened = true;
  return s;
}
