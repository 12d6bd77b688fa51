#!/usr/bin/env node
// syslogd: takes the kernel's log records (isokernel.logReader) and writes them to
// /var/log/NAME.log as the manifest's [logs] says, rotating and compressing, and forwards
// them to a remote syslog when one is configured (docs/logging.md).
//
//   syslogd [--manifest PATH] [--dir DIR] [--sync-ms MS] [--age-check-ms MS]
//
// Lines are written after each batch of records the kernel hands over (one write per file
// per batch); files are fsynced at most every --sync-ms (default 1000) and at once after a
// record of severity crit or worse, at rotation and at exit. SIGTERM/SIGINT: takes what is
// left in the kernel's queue, writes, fsyncs and exits 0. SIGHUP: reopens the files (after
// an outside rotation). Problems (a full disk, an unreachable remote) are reported on
// stderr and never stop it: see sysloglib/logfile.ts and sysloglib/remote.ts.
import isk from 'isokernel';
import fs from 'node:fs';
import { checkConfig, defaultConfig, makeRouter, type SyslogConfig } from './sysloglib/config.ts';
import { formatLine, type LogRec } from './sysloglib/format.ts';
import { LogFile } from './sysloglib/logfile.ts';
import { Forwarder } from './sysloglib/remote.ts';
import { kernelTransport } from './sysloglib/transport.ts';

interface Options {
  manifest: string;
  dir: string;
  syncMs: number;
  ageCheckMs: number;
}

function usage(msg: string): never {
  process.stderr.write(`syslogd: ${msg}\nusage: syslogd [--manifest PATH] [--dir DIR] [--sync-ms MS] [--age-check-ms MS]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = { manifest: '/etc/isokernel/manifest.json', dir: '/var/log', syncMs: 1000, ageCheckMs: 1000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): string => argv[++i] ?? usage(`${a} needs a value`);
    const num = (): number => {
      const v = Number(val());
      if (!Number.isFinite(v) || v < 0) usage(`${a}: expected a number of ms`);
      return v;
    };
    if (a === '--manifest') o.manifest = val();
    else if (a === '--dir') o.dir = val();
    else if (a === '--sync-ms') o.syncMs = num();
    else if (a === '--age-check-ms') o.ageCheckMs = num();
    else usage(`unknown argument '${a}'`);
  }
  return o;
}

const report = (msg: string): void => {
  try {
    process.stderr.write(msg + '\n');
  } catch { /* nowhere to report */ }
};

function loadConfig(file: string): SyslogConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') report(`syslogd: cannot read ${file}: ${(e as Error).message}; using the default`);
    return defaultConfig();
  }
  try {
    const m = JSON.parse(text) as { logs?: unknown };
    if (m.logs === undefined) return defaultConfig();
    const c = checkConfig(m.logs);
    return c.files.length === 0 && c.remote === null ? defaultConfig() : c;
  } catch (e) {
    report(`syslogd: ${file}: ${(e as Error).message}; using the default`);
    return defaultConfig();
  }
}

const opts = parseArgs(process.argv.slice(2));
const cfg = loadConfig(opts.manifest);
const host = isk.uname().nodename;
const files = cfg.files.map((f) => new LogFile(opts.dir, f, { report, host }));
for (const f of files) f.recover();
const route = makeRouter(cfg.files);
let forwarder: Forwarder | null = null;
if (cfg.remote) {
  const t = kernelTransport(cfg.remote);
  if (typeof t === 'string') report(`syslogd: remote forwarding to ${cfg.remote.host}:${cfg.remote.port} is off: ${t}`);
  else forwarder = new Forwarder(cfg.remote, t, report);
}

// Non-blocking: records are only ever taken by a synchronous read here, after a poll says
// they are there, so none is in flight when SIGTERM comes (stop() then takes the rest).
let reader: number;
try {
  reader = isk.logReader({ cloexec: true, nonblock: true });
} catch (e) {
  const code = (e as NodeJS.ErrnoException).code;
  report(code === 'EBUSY' ? 'syslogd: another syslogd reads the kernel log' : code === 'EPERM' ? 'syslogd: must run as root (uid 0)'
    : `syslogd: cannot read the kernel log: ${(e as Error).message}`);
  process.exit(1);
}
let lastSync = performance.now();
let stopping = false;

function handle(recs: LogRec[]): void {
  let urgent = false;
  for (const r of recs) {
    const targets = route(r.tag, r.severity);
    if (targets.length > 0) {
      const line = formatLine(r);
      for (const i of targets) files[i]!.append(line);
    }
    forwarder?.push(r);
    if (r.severity <= 2) urgent = true;
  }
  for (const f of files) f.flush();
  const now = performance.now();
  if (urgent || now - lastSync >= opts.syncMs) {
    for (const f of files) f.sync();
    lastSync = now;
  }
}

/**
 * Takes whatever waits in the kernel's queue now, without waiting (a bounded number of
 * batches: writers still running must not keep syslogd from exiting).
 */
function drain(): void {
  for (let i = 0; i < 256 && isk.poll([{ fd: reader, events: 'read' }], 0).length > 0; i++) {
    try {
      handle(isk.readLog(reader));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    drain();
  } catch (e) {
    report(`syslogd: reading the last records: ${(e as Error).message}`);
  }
  for (const f of files) f.close();
  if (forwarder) {
    await Promise.race([forwarder.drained(), new Promise((r) => setTimeout(r, 2000))]);
    forwarder.close();
  }
  for (const f of files) f.close();
  process.exit(0);
}

process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('SIGHUP', () => {
  for (const f of files) f.close();
});

const timer = setInterval(() => {
  for (const f of files) {
    f.checkAge();
    f.flush();
  }
  if (performance.now() - lastSync >= opts.syncMs) {
    for (const f of files) f.sync();
    lastSync = performance.now();
  }
}, Math.max(50, Math.min(opts.ageCheckMs, opts.syncMs)));
timer.unref?.();

for (;;) {
  try {
    await isk.promises.poll([{ fd: reader, events: 'read' }]);
    if (stopping) break;
    handle(isk.readLog(reader));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
    report(`syslogd: reading the kernel log: ${(e as Error).message}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
