// Resource limits (setrlimit(2)): the RLIMIT_* numbers of the ABI, their units, soft and hard
// values, and the checks that are not a plain comparison at their call site.
//
// A process has two Limits records: `limits` (the soft values, the ones enforced) and
// `hardLimits` (the ceilings a process may raise its soft values to; only uid 0 may raise a
// hard value). Unlimited is Infinity (RLIM_INFINITY in the ABI). Children copy both at spawn,
// as after fork; a spawn file action (kind 6, SETRLIMIT) changes the child's before it runs.
//
// Where each is enforced (and what it costs a syscall that does not hit it):
//   openFiles     FdTable.limit: EMFILE in install()                  (the existing compare)
//   memoryPages   isk-guard.ts memory_grow: -1                         (only on memory.grow)
//   cpuMs         Cpu.enter (each return to the CPU) and preempt()     (one compare each;
//                 nothing on a syscall that does not sleep). Soft: SIGXCPU, then once per
//                 CPU second; hard: SIGKILL. See cpuLimitReached.
//   fileBytes     wasi-fd.ts writes, truncate, allocate of regular files: clipped, then
//                 SIGXFSZ and EFBIG                                   (one compare per write)
//   children      Kernel.createChild: EAGAIN                          (only when finite)
//   userProcesses Kernel.createChild: EAGAIN against the kernel's count of the uid's processes
//   threads       proc/threads.ts thread-spawn: -EAGAIN
//   coreBytes     the fault path (core files)
import { SIG } from '../../abi/signals.ts';
import { E } from '../../abi/wasi.ts';
import { fail } from '../errors.ts';
import type { Limits, Process } from './process.ts';

/** Linux's RLIMIT_* numbers, and isokernel's own two after RLIM_NLIMITS (16). */
export const RLIMIT = {
  CPU: 0, FSIZE: 1, DATA: 2, STACK: 3, CORE: 4, RSS: 5, NPROC: 6, NOFILE: 7, MEMLOCK: 8, AS: 9,
  LOCKS: 10, SIGPENDING: 11, MSGQUEUE: 12, NICE: 13, RTPRIO: 14, RTTIME: 15,
  /** isokernel: live children of the process (spawn: EAGAIN). */
  NCHILD: 16,
  /** isokernel: threads of a wasi-threads process, its main thread included. */
  NTHREAD: 17,
} as const;

/** RLIM_INFINITY: all ones in a u64. */
export const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;
const PAGE = 65536;
/** wasm32's whole address space, in pages: as much as unlimited. */
export const MAX_PAGES = 65536;
/** The most descriptors a process may have (Linux's default nr_open): above is EPERM even for root. */
export const NOFILE_MAX = 1 << 20;

interface Resource {
  field: keyof Limits;
  /** Guest value (a u64, RLIM_INFINITY already taken out) → the Limits unit. */
  fromGuest(v: bigint): number;
  /** The Limits unit → guest value (Infinity is handled by the caller). */
  toGuest(v: number): bigint;
  /** Above this (in the Limits unit) is EPERM, even for uid 0. */
  ceiling: number;
}

const big = (v: bigint): number => (v >= 1n << 53n ? Infinity : Number(v));
const count = (field: keyof Limits, ceiling = Infinity): Resource => ({
  field, fromGuest: big, toGuest: (v) => BigInt(v), ceiling,
});
const bytes = (field: keyof Limits): Resource => count(field);
const memory: Resource = {
  field: 'memoryPages',
  // Bytes, rounded down to whole pages; 4 GiB or more is all of wasm32's memory.
  fromGuest: (v) => (v >= BigInt(MAX_PAGES * PAGE) ? MAX_PAGES : Number(v / BigInt(PAGE))),
  toGuest: (v) => BigInt(v) * BigInt(PAGE),
  ceiling: MAX_PAGES,
};

const RESOURCES: ReadonlyMap<number, Resource> = new Map([
  [RLIMIT.CPU, {
    field: 'cpuMs',
    // Seconds; reported rounded up, as a limit of 1.5 s set by the host is not yet reached at 1 s.
    fromGuest: (v: bigint) => (v >= 1n << 43n ? Infinity : Number(v) * 1000),
    toGuest: (v: number) => BigInt(Math.ceil(v / 1000)),
    ceiling: Infinity,
  }],
  [RLIMIT.FSIZE, bytes('fileBytes')],
  [RLIMIT.DATA, memory],
  [RLIMIT.AS, memory],
  [RLIMIT.CORE, bytes('coreBytes')],
  [RLIMIT.NPROC, count('userProcesses')],
  [RLIMIT.NOFILE, count('openFiles', NOFILE_MAX)],
  [RLIMIT.NCHILD, count('children')],
  [RLIMIT.NTHREAD, count('threads')],
]);

/** Resources Linux has and isokernel does not enforce: getrlimit reports these, setrlimit is EINVAL. */
const UNENFORCED: ReadonlyMap<number, bigint> = new Map([
  [RLIMIT.STACK, RLIM_INFINITY], [RLIMIT.RSS, RLIM_INFINITY], [RLIMIT.MEMLOCK, RLIM_INFINITY],
  [RLIMIT.LOCKS, RLIM_INFINITY], [RLIMIT.SIGPENDING, RLIM_INFINITY], [RLIMIT.MSGQUEUE, RLIM_INFINITY],
  [RLIMIT.NICE, 0n], [RLIMIT.RTPRIO, 0n], [RLIMIT.RTTIME, RLIM_INFINITY],
]);

function toGuest(r: Resource, v: number): bigint {
  if (v === Infinity || (r === memory && v >= MAX_PAGES)) return RLIM_INFINITY;
  return r.toGuest(v);
}

function fromGuest(r: Resource, v: bigint): number {
  return v === RLIM_INFINITY ? (r === memory ? MAX_PAGES : Infinity) : r.fromGuest(v);
}

/** getrlimit: [soft, hard] as the guest sees them. EINVAL for an unknown resource. */
export function getLimit(p: Process, resource: number): [bigint, bigint] {
  const r = RESOURCES.get(resource);
  if (r) return [toGuest(r, p.limits[r.field]), toGuest(r, p.hardLimits[r.field])];
  const u = UNENFORCED.get(resource);
  if (u === undefined) fail(E.INVAL);
  return [u, u];
}

/**
 * setrlimit on `p` (the caller, a child being spawned, or prlimit's target). EINVAL: unknown
 * or unenforced resource, soft above hard; EPERM: raising the hard value without uid 0
 * (`privileged`), or above the resource's ceiling.
 */
export function setLimit(p: Process, resource: number, soft: bigint, hard: bigint, privileged: boolean): void {
  const r = RESOURCES.get(resource);
  if (!r) fail(E.INVAL);
  const s = fromGuest(r, soft);
  const h = fromGuest(r, hard);
  if (s > h) fail(E.INVAL);
  if ((h > p.hardLimits[r.field] && !privileged) || h > r.ceiling) fail(E.PERM);
  p.limits[r.field] = s;
  p.hardLimits[r.field] = h;
  applyLimits(p);
}

/** Makes the enforcement points see `p`'s limits (after they changed). */
export function applyLimits(p: Process): void {
  p.fds.limit = p.limits.openFiles;
  p.cpuLimitNs = Math.min(p.limits.cpuMs, p.hardLimits.cpuMs) * 1e6;
}

/**
 * The process's CPU time reached p.cpuLimitNs (checked by Cpu.enter and preempt()): SIGKILL at
 * the hard limit; else SIGXCPU, and again after each further CPU second (as Linux does).
 */
export function cpuLimitReached(k: { signal(t: Process, sig: number): void }, p: Process, nowNs: number): void {
  const hard = p.hardLimits.cpuMs * 1e6;
  if (nowNs >= hard) {
    p.cpuLimitNs = Infinity;
    k.signal(p, SIG.KILL);
    return;
  }
  p.cpuLimitNs = Math.min(nowNs + 1e9, hard);
  k.signal(p, SIG.XCPU);
}

/**
 * RLIMIT_FSIZE for a write to a regular file at `pos`: how many bytes it may move. At or
 * past the limit, SIGXFSZ to the writer and EFBIG (if the signal leaves it alive).
 */
export function fileRoom(k: { signal(t: Process, sig: number): void }, p: Process, pos: number): number {
  const room = p.limits.fileBytes - pos;
  if (room > 0) return room;
  k.signal(p, SIG.XFSZ);
  return fail(E.FBIG);
}

/** RLIMIT_FSIZE for a truncate or allocate that makes a regular file `size` bytes long. */
export function checkFileSize(k: { signal(t: Process, sig: number): void }, p: Process, size: number, current: number): void {
  if (size <= p.limits.fileBytes || size <= current) return;
  k.signal(p, SIG.XFSZ);
  fail(E.FBIG);
}

/** Names for `isokernel run --limit NAME=SOFT[:HARD]`, with their units. */
export const LIMIT_NAMES: Readonly<Record<string, { field: keyof Limits; unit: 'seconds' | 'bytes' | 'count' }>> = {
  cpu: { field: 'cpuMs', unit: 'seconds' },
  fsize: { field: 'fileBytes', unit: 'bytes' },
  core: { field: 'coreBytes', unit: 'bytes' },
  nofile: { field: 'openFiles', unit: 'count' },
  nproc: { field: 'userProcesses', unit: 'count' },
  as: { field: 'memoryPages', unit: 'bytes' },
  children: { field: 'children', unit: 'count' },
  threads: { field: 'threads', unit: 'count' },
};

const SUFFIX: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

function parseValue(text: string, unit: 'seconds' | 'bytes' | 'count', field: keyof Limits): number {
  if (text === 'unlimited' || text === 'infinity') return field === 'memoryPages' ? MAX_PAGES : Infinity;
  if (unit === 'seconds') {
    if (!/^\d+(\.\d+)?$/.test(text)) throw new Error(`${text}: expected seconds`);
    return Math.round(Number(text) * 1000);
  }
  if (unit === 'count') {
    if (!/^\d+$/.test(text)) throw new Error(`${text}: expected a number`);
    return Number(text);
  }
  const m = /^(\d+)([kmgt]?)(i?b)?$/i.exec(text);
  if (!m) throw new Error(`${text}: expected bytes (a number, with K, M, G or T for KiB, MiB, GiB, TiB)`);
  const n = Number(m[1]) * SUFFIX[m[2]!.toLowerCase()]!;
  return field === 'memoryPages' ? Math.min(MAX_PAGES, Math.floor(n / PAGE)) : n;
}

/**
 * Parses `NAME=SOFT[:HARD]` (HARD defaults to SOFT, as ulimit and prlimit set both; `:HARD`
 * alone keeps the soft value) into the soft and hard changes. Throws an Error saying what is
 * wrong.
 */
export function parseLimitSpec(spec: string): { soft: Partial<Limits>; hard: Partial<Limits> } {
  const eq = spec.indexOf('=');
  const name = eq < 0 ? spec : spec.slice(0, eq);
  const def = LIMIT_NAMES[name];
  if (!def) throw new Error(`${spec}: unknown limit ${JSON.stringify(name)} (one of ${Object.keys(LIMIT_NAMES).join(', ')})`);
  if (eq < 0) throw new Error(`${spec}: expected ${name}=SOFT[:HARD]`);
  const value = spec.slice(eq + 1);
  const colon = value.indexOf(':');
  const softText = colon < 0 ? value : value.slice(0, colon);
  const hardText = colon < 0 ? value : value.slice(colon + 1);
  const out: { soft: Partial<Limits>; hard: Partial<Limits> } = { soft: {}, hard: {} };
  try {
    if (softText !== '') out.soft[def.field] = parseValue(softText, def.unit, def.field);
    if (hardText !== '') out.hard[def.field] = parseValue(hardText, def.unit, def.field);
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
  if (softText === '' && hardText === '') throw new Error(`${spec}: expected ${name}=SOFT[:HARD]`);
  const s = out.soft[def.field];
  const h = out.hard[def.field];
  if (s !== undefined && h !== undefined && s > h) throw new Error(`${spec}: the soft value is above the hard one`);
  return out;
}
