// The image manifest after validation: what `isokernel.toml` means, with every default filled
// in. manifest.ts turns the TOML into this (or refuses it with file, line, field); boot.ts,
// init, crond and syslogd read only this shape. init, crond and syslogd are processes: they
// get it as JSON at /etc/isokernel/manifest.json (MANIFEST_GUEST_PATH). docs/manifest.md is
// the reference for the TOML side.
//
// Owner: IMAGE. Changes since the first contract (additive only): `Manifest.image` (what the
// build packs, and the JS worker pool kept booted at image boot); manifestToJson (unlimited
// limits are Infinity, written 1e999 so that plain JSON.parse gives Infinity back).
import type { Limits } from '../kernel/proc/process.ts';

export const MANIFEST_GUEST_PATH = '/etc/isokernel/manifest.json';

/**
 * The manifest as JSON. An unlimited limit (Infinity) is written as the number 1e999, which
 * JSON.parse reads back as Infinity: readers need no reviver.
 */
export function manifestToJson(m: Manifest): string {
  const INF = '\u0000isk-infinity\u0000';
  return JSON.stringify(m, (_k, v: unknown) => (v === Infinity ? INF : v), 2).replaceAll(JSON.stringify(INF), '1e999') + '\n';
}

export interface Manifest {
  name: string;
  version: string;
  hostname: string;
  mounts: MountEntry[];
  services: Service[];
  cron: CronJob[];
  logs: LogConfig;
  /** Network policy and listeners (issue 9): filled in by the sockets work. */
  network: NetworkConfig;
  image: ImageConfig;
  /**
   * The system activity collector (sar's history) and Prometheus: TOML `[metrics]`. Added by
   * SAR (issue 8; src/metrics/collector.ts, docs/tools.md) — IMAGE: boot.ts passes it to
   * Kernel.boot as `metrics: { db: STATE/sa.db, intervalMs, retentionMs, listen }` when
   * `enabled`. Optional so that manifests built in code (tests) need not name it; manifest.ts
   * always fills it in.
   */
  metrics?: MetricsConfig;
}

export interface MetricsConfig {
  /** Collect at all (default true). */
  enabled: boolean;
  /** Sampling interval, ms (TOML `interval = "10s"`; default 10 000; at least 100). */
  intervalMs: number;
  /** How long samples are kept, ms (TOML `retention = "7d"`; default 7 days; at least the interval). */
  retentionMs: number;
  /** Prometheus exposition on this loopback HOST:PORT (TOML `listen = "127.0.0.1:9100"`), or null (default). */
  listen: string | null;
}

export interface ImageConfig {
  /** Globs (relative to the image directory) that `isokernel build` leaves out. */
  exclude: string[];
  /**
   * JS workers kept booted while the image runs (jsproc/pool.ts), for restarts and JS cron
   * jobs; default 1. (At boot the pool is raised for a while to one per JS program starting.)
   */
  jsPool: number;
}

/**
 * A mount: `image` = a directory of the image, read-only (source is relative to the image
 * root); `state` = persistent hostfs under the state directory (source relative to it);
 * `tmpfs`; `host` = a host directory (source absolute).
 */
export interface MountEntry {
  path: string;
  type: 'image' | 'state' | 'tmpfs' | 'host';
  source: string;
  readonly: boolean;
  /** tmpfs: a size limit in bytes (0 = none). */
  sizeBytes: number;
}

export type RestartPolicy = 'no' | 'on-failure' | 'always';

export type Readiness =
  | { type: 'none' }
  | { type: 'file'; path: string; timeoutMs: number }
  | { type: 'command'; command: string; intervalMs: number; timeoutMs: number }
  | { type: 'tcp'; port: number; timeoutMs: number };

export interface Service {
  name: string;
  /** A guest path: wasm, `#!` script or JS/TS program, as spawn takes it. */
  program: string;
  /** argv after argv[0] (argv[0] is the service name's program basename). */
  args: string[];
  env: Record<string, string>;
  cwd: string;
  uid: number;
  gid: number;
  restart: RestartPolicy;
  /** Exponential backoff between restarts: initial delay, doubled each time up to max. */
  backoffMs: { initial: number; max: number };
  /** More than maxRestarts restarts within windowMs: the service is marked failed, not restarted. */
  crashLoop: { maxRestarts: number; windowMs: number };
  dependsOn: string[];
  limits: Partial<Limits>;
  readiness: Readiness;
  stopSignal: number;
  /** Grace period after stopSignal before SIGKILL. */
  stopTimeoutMs: number;
}

export interface CronJob {
  name: string;
  /** Five fields, or @reboot @hourly @daily @weekly @monthly @yearly. */
  schedule: string;
  /** IANA zone; default 'UTC'. */
  timezone: string;
  /** Run by `/bin/sh -c`. */
  command: string;
  uid: number;
  gid: number;
  /** Start a run while the previous one still runs (default false: skipped and logged). */
  overlap: boolean;
}

export interface LogRotation {
  /** Rotate when the file reaches this size (0 = never by size). */
  maxBytes: number;
  /** Rotate when the file's first line is older than this (0 = never by age). */
  maxAgeMs: number;
  /** How many rotated files to keep. */
  keep: number;
  /** gzip rotated files (NAME.1.gz ...). */
  compress: boolean;
}

export interface LogFile {
  /** Written as /var/log/NAME.log. */
  name: string;
  /** The tags (service and job names, program idents) whose lines go here; ['*'] = all. */
  match: string[];
  /** Lowest severity written (0 emerg ... 7 debug). */
  minSeverity: number;
  rotate: LogRotation;
}

export interface RemoteSyslog {
  protocol: 'udp' | 'tcp';
  host: string;
  port: number;
  /** RFC 5424 facility number for lines that have none of their own. */
  facility: number;
}

export interface LogConfig {
  files: LogFile[];
  remote: RemoteSyslog | null;
}

export interface NetworkConfig {
  /** Host ports the image may listen on: guest port -> host address:port. */
  listen: { port: number; host: string; hostPort: number }[];
  /** Outbound destinations allowed ("host:port", "host:*", CIDR:port); default none. */
  egress: string[];
}
