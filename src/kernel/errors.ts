// The kernel's two kinds of failure (STYLE.md habit 5):
//  - SysError: an errno for the guest. Thrown by the layers below the ABI and turned into
//    a return value by the syscall layer. Instances are shared per errno (no stack capture),
//    so throwing one on a hot path costs no allocation.
//  - Exits and kills that unwind a process's stack: ProcExit (proc_exit), Killed (a fatal
//    signal delivered while the process ran or slept). They are thrown through the guest's
//    wasm frames and caught where the process's entry promise settles.
// Anything else thrown out of a syscall is a kernel bug: the process dies with SIGSYS and a
// fault record, and the kernel goes on.
import { E, errnoName } from '../abi/wasi.ts';
import type { ExecTarget } from './proc/exec.ts';

export class SysError {
  readonly errno: number;
  constructor(errno: number) {
    this.errno = errno;
  }
  get message(): string {
    return errnoName(this.errno);
  }
  toString(): string {
    return `SysError(${errnoName(this.errno)})`;
  }
}

const SHARED: SysError[] = [];
for (let i = 0; i <= E.NOTCAPABLE; i++) SHARED.push(Object.freeze(new SysError(i)));

/** Throws the errno `errno` to the syscall layer. */
export function fail(errno: number): never {
  throw SHARED[errno] ?? new SysError(errno);
}

export function isSysError(e: unknown): e is SysError {
  return e instanceof SysError;
}

/** proc_exit: unwinds the process's stack with an exit code. */
export class ProcExit {
  readonly code: number;
  constructor(code: number) {
    this.code = code;
  }
}

/**
 * exec: unwinds the process's stack; the kernel then runs `target` in the same process
 * (kernel.ts, execImage), with `env`.
 */
export class ExecImage {
  readonly target: ExecTarget;
  readonly env: string[];
  constructor(target: ExecTarget, env: string[]) {
    this.target = target;
    this.env = env;
  }
}

/** A fatal signal: unwinds the process's stack; the process ends killed by `signal`. */
export class Killed {
  readonly signal: number;
  constructor(signal: number) {
    this.signal = signal;
  }
}

/** Operator-facing errors (CLI, loader, manifest): a stable code and a message that says what to do. */
export class KernelError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'KernelError';
  }
}
