#!/usr/bin/env node
// httpd: an HTTP/1.1 server for isokernel images — static files, CGI/1.1, a reverse proxy
// to services on image sockets, a combined-format access log, reload on SIGHUP. Configured
// by its arguments (the service's args in the manifest); docs/httpd.md is the reference.
//
// It runs inside isokernel as a JS process (the sockets, files and CGI processes are the
// kernel's) and, for tests, on the host under plain Node (the host's). The server itself
// (httpd/server.ts) is written against small interfaces (httpd/io.ts); this file picks
// their implementations, wires the log and the signals.
import { ConfigError, loadConfig } from './httpd/config.ts';
import { Server } from './httpd/server.ts';
import type { Spawner, Transport } from './httpd/io.ts';

interface IskLike {
  openlog?: (tag: string, o?: { facility?: number; severity?: number; cloexec?: boolean }) => number;
  syslog?: (severity: number, msg: string, tag?: string) => void;
}

const args = process.argv.slice(2);
const SEV = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

async function platform(): Promise<{ transport: Transport; spawner: Spawner; isk: IskLike | null }> {
  let isk: IskLike | null = null;
  try {
    const name = 'isokernel';
    isk = ((await import(name)) as { default: IskLike }).default;
  } catch {
    isk = null;
  }
  if (!isk) {
    const m = await import('./httpd/io-node.ts');
    return { transport: m.nodeTransport, spawner: m.nodeSpawner, isk };
  }
  const m = await import('./httpd/io-isk.ts');
  return { transport: m.iskTransport(), spawner: m.iskSpawner(), isk };
}

async function main(): Promise<void> {
  let cfg;
  try {
    cfg = loadConfig(args);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`httpd: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = (severity: number, msg: string): void => {
    // stderr is the service's log stream under init (one line per record); the severity is in the text.
    process.stderr.write(`httpd: ${SEV[severity] ?? 'info'}: ${msg}\n`);
  };
  let plat;
  try {
    plat = await platform();
  } catch (e) {
    log(3, (e as Error).message);
    process.exit(1);
  }
  const { transport, spawner, isk } = plat;
  let cgiStderrFd: number | null = null;
  if (isk?.openlog) {
    try {
      cgiStderrFd = isk.openlog(cfg.cgiLogTag, { severity: 3, cloexec: true });
    } catch (e) {
      log(4, `openlog ${cfg.cgiLogTag}: ${(e as Error).message}; CGI stderr goes to httpd's`);
    }
  }
  // With one CGI directory, httpd works in it: scripts run with it as cwd (RFC 3875 7.1),
  // and a spawn in the caller's cwd is cheaper than one that names a cwd (io-isk.ts).
  const cgiCwd = (c: typeof cfg): void => {
    if (c.cgi.length !== 1) return;
    try {
      process.chdir(c.cgi[0]!.dir);
    } catch (e) {
      log(4, `chdir ${c.cgi[0]!.dir}: ${(e as Error).message}`);
    }
  };
  cgiCwd(cfg);
  const server = new Server(cfg, { transport, spawner, log, cgiStderrFd });
  try {
    await server.start();
  } catch (e) {
    log(3, `cannot listen: ${(e as Error).message}`);
    process.exit(1);
  }
  log(6, `listening on ${server.bound.map((l) => l.name).join(', ')}`);
  // Tests and the benchmark read the bound addresses (port 0 picks one) from this line on stdout.
  process.stdout.write(`httpd: ready ${server.bound.map((l) => l.name).join(' ')}\n`);
  let reloading = false;
  process.on('SIGHUP', () => {
    if (reloading) return;
    reloading = true;
    let next;
    try {
      next = loadConfig(args);
    } catch (e) {
      log(3, `reload: ${(e as Error).message}; keeping the old configuration`);
      reloading = false;
      return;
    }
    cgiCwd(next);
    server.reload(next).catch((e) => log(3, `reload: ${(e as Error).message}`)).finally(() => {
      reloading = false;
    });
  });
  const stop = (sig: string): void => {
    log(6, `${sig}: stopping`);
    server.stop(3000).finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
