// init's own check of a service from the manifest JSON. boot.ts writes a validated manifest,
// so this only guards PID 1 against a hand-written or damaged one: a service that fails it
// is refused (state `failed`, with the reason), never half-started, and init goes on.
import type { Service } from '../../../src/image/manifest-types.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0x7fffffff;
const isMs = (v: unknown): boolean => typeof v === 'number' && v >= 0 && Number.isFinite(v);
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** What is wrong with `s`, or null. */
export function checkService(s: unknown): string | null {
  if (!isObj(s)) return 'not an object';
  if (typeof s.name !== 'string' || s.name === '') return 'name: expected a non-empty string';
  if (typeof s.program !== 'string' || s.program === '') return 'program: expected a path';
  if (!isStrings(s.args)) return 'args: expected an array of strings';
  if (!isObj(s.env) || !Object.values(s.env).every((v) => typeof v === 'string')) return 'env: expected an object of strings';
  if (typeof s.cwd !== 'string' || !s.cwd.startsWith('/')) return 'cwd: expected an absolute path';
  if (!isId(s.uid) || !isId(s.gid)) return 'uid, gid: expected non-negative integers';
  if (s.restart !== 'no' && s.restart !== 'on-failure' && s.restart !== 'always') return 'restart: expected no, on-failure or always';
  const b = s.backoffMs;
  if (!isObj(b) || !isMs(b.initial) || !isMs(b.max) || (b.max as number) < (b.initial as number)) return 'backoffMs: expected { initial, max } in ms, max >= initial';
  const c = s.crashLoop;
  if (!isObj(c) || !isId(c.maxRestarts) || !isMs(c.windowMs)) return 'crashLoop: expected { maxRestarts, windowMs }';
  if (!isStrings(s.dependsOn)) return 'dependsOn: expected an array of service names';
  if (!isObj(s.limits)) return 'limits: expected an object';
  if (!Number.isInteger(s.stopSignal) || (s.stopSignal as number) < 1 || (s.stopSignal as number) > 31) return 'stopSignal: expected a signal number 1-31';
  if (!isMs(s.stopTimeoutMs)) return 'stopTimeoutMs: expected ms';
  const r = s.readiness;
  if (!isObj(r)) return 'readiness: expected an object';
  switch (r.type) {
    case 'none':
      break;
    case 'file':
      if (typeof r.path !== 'string' || !isMs(r.timeoutMs)) return 'readiness file: expected { path, timeoutMs }';
      break;
    case 'command':
      if (typeof r.command !== 'string' || !isMs(r.intervalMs) || (r.intervalMs as number) < 1 || !isMs(r.timeoutMs)) return 'readiness command: expected { command, intervalMs >= 1, timeoutMs }';
      break;
    case 'tcp':
      if (!Number.isInteger(r.port) || (r.port as number) < 1 || (r.port as number) > 65535 || !isMs(r.timeoutMs)) return 'readiness tcp: expected { port 1-65535, timeoutMs }';
      break;
    default:
      return 'readiness: type must be none, file, command or tcp';
  }
  return null;
}

/** The placeholder for a refused service: enough of a Service for status and dependents. */
export function refusedService(s: unknown, name: string): Service {
  return {
    name, program: '', args: [], env: {}, cwd: '/', uid: 0, gid: 0, restart: 'no', backoffMs: { initial: 0, max: 0 },
    crashLoop: { maxRestarts: 0, windowMs: 0 }, dependsOn: isObj(s) && isStrings(s.dependsOn) ? s.dependsOn as string[] : [],
    limits: {}, readiness: { type: 'none' }, stopSignal: 15, stopTimeoutMs: 0,
  };
}
