// Signal numbers as operators know them (Linux x86-64 numbering), and the map from WASI's
// own numbering. The kernel uses Linux numbers everywhere: in exit statuses (128 + n), in
// kill(), in fault records. WASI numbers appear only at proc_raise.
import { WASI_SIGNAL } from './wasi.ts';

export const SIG = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11,
  USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20,
  TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, POLL: 29,
  PWR: 30, SYS: 31,
} as const;
export type SignalName = keyof typeof SIG;

const NAME_BY_NUMBER = new Map<number, string>(Object.entries(SIG).map(([k, v]) => [v, 'SIG' + k]));
export function signalName(sig: number): string {
  return NAME_BY_NUMBER.get(sig) ?? `SIG${sig}`;
}

/** WASI signal number → Linux signal number (0 for WASI's NONE). */
export const SIGNAL_FROM_WASI: readonly number[] = (() => {
  const out: number[] = [];
  for (const [name, n] of Object.entries(WASI_SIGNAL)) {
    out[n] = name === 'NONE' ? 0 : SIG[name as SignalName];
  }
  return out;
})();

export type DefaultAction = 'terminate' | 'core' | 'ignore' | 'stop' | 'continue';

/** The default disposition of each signal, as signal(7) lists it. */
export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case SIG.CHLD: case SIG.URG: case SIG.WINCH: return 'ignore';
    case SIG.CONT: return 'continue';
    case SIG.STOP: case SIG.TSTP: case SIG.TTIN: case SIG.TTOU: return 'stop';
    case SIG.QUIT: case SIG.ILL: case SIG.TRAP: case SIG.ABRT: case SIG.BUS: case SIG.FPE:
    case SIG.SEGV: case SIG.XCPU: case SIG.XFSZ: case SIG.SYS: return 'core';
    default: return 'terminate';
  }
}

/** A signal's bit in a signal set (a u32: bit n-1 for signal n, as the isokernel ABI has it). */
export function sigbit(sig: number): number {
  return (1 << (sig - 1)) >>> 0;
}

/** Signals that cannot be caught, ignored or blocked. */
export const UNBLOCKABLE = sigbit(SIG.KILL) | sigbit(SIG.STOP);
/** Every valid signal (1-31). */
export const ALL_SIGNALS = 0x7fffffff;
export const STOP_SIGNALS = sigbit(SIG.STOP) | sigbit(SIG.TSTP) | sigbit(SIG.TTIN) | sigbit(SIG.TTOU);

/** sigaction dispositions in the isokernel ABI. */
export const DISPOSITION = { DEFAULT: 0, IGNORE: 1, CATCH: 2 } as const;

/** sa_flags, Linux's values. */
export const SA = {
  NOCLDSTOP: 1, NOCLDWAIT: 2, SIGINFO: 4, RESTART: 0x10000000, NODEFER: 0x40000000, RESETHAND: 0x80000000,
} as const;
export const SA_KNOWN = (SA.NOCLDSTOP | SA.NOCLDWAIT | SA.SIGINFO | SA.RESTART | SA.NODEFER | SA.RESETHAND) >>> 0;

/** waitpid options, Linux's values. */
export const WAIT = { NOHANG: 1, UNTRACED: 2, CONTINUED: 8 } as const;

/** Wait statuses as Linux encodes them (what WIFEXITED and friends decode). */
export const waitStatus = {
  exited: (code: number): number => (code & 0xff) << 8,
  killed: (sig: number, core: boolean): number => sig | (core ? 0x80 : 0),
  stopped: (sig: number): number => (sig << 8) | 0x7f,
  continued: 0xffff,
};
