// The Prometheus listen address: "HOST:PORT" with a loopback host (127.0.0.0/8, ::1 as
// "[::1]:PORT", or localhost). The metrics name every process and service, so they are for
// the host; to publish them, put a proxy in front. Used by the server (prometheus.ts) and by
// the manifest's [metrics] check (src/image/manifest.ts).

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** [host, port] of a loopback "HOST:PORT", or an Error saying what is wrong. */
export function checkListen(s: string): { host: string; port: number } | Error {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s);
  if (!m) return new Error(`expected HOST:PORT, e.g. 127.0.0.1:9100 or [::1]:9100, got ${JSON.stringify(s)}`);
  const host = m[1] ?? m[2]!;
  const port = Number(m[3]);
  if (port > 65535) return new Error(`port ${port} out of range (0 to 65535)`);
  const loop = host === 'localhost' || host === '::1' || (LOOPBACK_V4.test(host) && host.split('.').every((o) => Number(o) <= 255));
  if (!loop) {
    return new Error(`${JSON.stringify(host)} is not a loopback address (127.0.0.0/8, [::1], localhost): ` +
      'the metrics name every process; put a proxy in front to publish them');
  }
  return { host, port };
}
