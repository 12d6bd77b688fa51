// The kernel's sockets as a Transport for the forwarder (sysloglib/remote.ts): a UDP socket
// connected to the remote (one datagram a message), or a TCP connection made at the first
// send and again after a failure. Uses the isokernel module's socket API (docs/jsproc.md,
// "Sockets"); on a kernel without it, forwarding is off and syslogd says why.
import isk from 'isokernel';
import type { RemoteConfig } from './config.ts';
import type { Transport } from './remote.ts';

/**
 * A transport, or why there is none. The kernel resolves no names: `cfg.host` is an IPv4 or
 * IPv6 address, or localhost (127.0.0.1).
 */
export function kernelTransport(cfg: RemoteConfig): Transport | string {
  if (typeof isk.socket !== 'function') return 'this kernel has no sockets';
  const address = cfg.host === 'localhost' ? '127.0.0.1' : cfg.host;
  if (!/^[\d.]+$/.test(address) && !address.includes(':')) return `${cfg.host} is not an address (the kernel resolves no names)`;
  const domain = address.includes(':') ? 'inet6' : 'inet';
  const addr = { address, port: cfg.port };
  let fd = -1;
  const open = async (): Promise<number> => {
    if (fd >= 0) return fd;
    const f = isk.socket(domain, cfg.protocol === 'udp' ? 'dgram' : 'stream', { cloexec: true });
    try {
      await isk.promises.connect(f, addr);
    } catch (e) {
      isk.close(f);
      throw e;
    }
    fd = f;
    return f;
  };
  const reset = (): void => {
    if (fd >= 0) {
      try {
        isk.close(fd);
      } catch { /* already gone */ }
    }
    fd = -1;
  };
  return {
    async send(data: Uint8Array): Promise<void> {
      const f = await open();
      let off = 0;
      while (off < data.length) {
        const n = await isk.promises.send(f, off === 0 ? data : data.subarray(off), { nosignal: true });
        if (cfg.protocol === 'udp') return;
        off += n;
      }
    },
    reset,
    close: reset,
  };
}
