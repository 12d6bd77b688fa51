// Keeps a JS process's node:crypto work off the host's libuv thread pool (docs/jsproc.md,
// "Containment").
//
// Design note.
//
// - Why. Node runs the callback forms of its costly crypto calls (pbkdf2, scrypt, argon2,
//   hkdf, generateKeyPair, generateKey, generatePrime, checkPrime, randomBytes/randomFill/
//   randomInt, one-shot sign/verify) as jobs on libuv's thread pool: four threads shared by
//   the whole host — the kernel and every isolate. A job there is not on the isolate's
//   thread, so it is not in the process's CPU time (nor its RLIMIT_CPU), it outlives a kill
//   (a job is not cancelled), and while four run, the kernel's own asynchronous work waits:
//   a JS process's four `pbkdf2` calls of a few seconds each, the process killed at once,
//   held up the spawn of a WASI program (its module read from the host) for 32 s.
// - What. In the copy of node:crypto programs get (builtins.ts), each such callback form is
//   replaced by its synchronous form run on the isolate's thread, the callback called with
//   the result on a later turn of the event loop (setImmediate), as the pool's completion
//   would come. What a program sees: the same results and errors, arguments checked and bad
//   ones thrown at the call as Node does (an error with a validation code, or one without a
//   code, as the memory checks' RangeError, is thrown; an operational one — OpenSSL's — goes
//   to the callback); its event loop does not turn while the work runs, as if the program
//   had called the sync form. The work is the process's: its CPU time, killable at its end.
// - Not covered: WebCrypto (`crypto.subtle`, also `crypto.webcrypto`) runs its jobs on the
//   pool too and has no synchronous forms; its costly operations (PBKDF2 and Argon2
//   deriveBits/deriveKey, RSA generateKey) still go there (docs/jsproc.md, "Open problems").
//   zlib's asynchronous streams use the pool one chunk at a time (short jobs).

const reflectApply = Reflect.apply;
const defineProperty = Object.defineProperty;
const defer = setImmediate;

/** Error codes Node throws at the call for bad arguments, in the async forms as in the sync ones. */
const THROWN = /^ERR_(INVALID_|OUT_OF_RANGE|MISSING_|CRYPTO_INVALID_|CRYPTO_UNKNOWN_|CRYPTO_INCOMPATIBLE_|FEATURE_UNAVAILABLE)/;

function thrownAtCall(e: unknown): boolean {
  if (!(e instanceof Error)) return true;
  const code = (e as { code?: unknown }).code;
  return typeof code !== 'string' || THROWN.test(code);
}

/** How a sync form's result is passed to the callback: (err, ...spread(result)). */
type Spread = (r: unknown) => unknown[];
const one: Spread = (r) => [r];
const pair: Spread = (r) => {
  const o = r as { publicKey: unknown; privateKey: unknown };
  return [o.publicKey, o.privateKey];
};

/**
 * `name`'s callback form made of `sync` (the sync form, or the function itself called
 * without a callback): the callback is the last argument; without one, the original runs
 * (Node's own sync behaviour, or its error).
 */
function viaSync(mod: Record<string, unknown>, name: string, sync: Function | null, spread: Spread): void {
  const original = mod[name];
  if (typeof original !== 'function') return;
  const run = sync ?? original;
  const wrapped = { [name](this: unknown, ...args: unknown[]): unknown {
    const cb = args[args.length - 1];
    if (typeof cb !== 'function') return reflectApply(original, this, args);
    const rest = args.slice(0, -1);
    let result: unknown;
    let error: unknown = null;
    try {
      result = reflectApply(run, this, rest);
    } catch (e) {
      if (thrownAtCall(e)) throw e;
      error = e;
    }
    defer(() => {
      if (error !== null) (cb as (e: unknown) => void)(error);
      else reflectApply(cb, undefined, [null, ...spread(result)]);
    });
    return undefined;
  } }[name]!;
  defineProperty(mod, name, { value: wrapped, writable: true, configurable: true, enumerable: true });
}

/** Replaces the thread-pool callback forms in `mod` (a copy of node:crypto) with sync work on the isolate's thread. */
export function keepOffThreadPool(mod: Record<string, unknown>): void {
  const f = (name: string): Function | null => (typeof mod[name] === 'function' ? mod[name] as Function : null);
  viaSync(mod, 'pbkdf2', f('pbkdf2Sync'), one);
  viaSync(mod, 'scrypt', f('scryptSync'), one);
  viaSync(mod, 'argon2', f('argon2Sync'), one);
  viaSync(mod, 'hkdf', f('hkdfSync'), one);
  viaSync(mod, 'generateKeyPair', f('generateKeyPairSync'), pair);
  viaSync(mod, 'generateKey', f('generateKeySync'), one);
  viaSync(mod, 'generatePrime', f('generatePrimeSync'), one);
  viaSync(mod, 'checkPrime', f('checkPrimeSync'), one);
  viaSync(mod, 'randomFill', f('randomFillSync'), one);
  // These are their own sync forms when called without a callback.
  viaSync(mod, 'randomBytes', null, one);
  viaSync(mod, 'pseudoRandomBytes', null, one);
  viaSync(mod, 'randomInt', null, one);
  viaSync(mod, 'sign', null, one);
  viaSync(mod, 'verify', null, one);
}
