// The control socket's `sar` op (src/image/control.ts): `isokernel sar` from the host runs
// its report in the running kernel, live reports included.
//
//   request  { id, op: "sar", args: ["-u", "1", "3"] }      (sar's arguments)
//   frames   { id, fd: 1 | 2, text: "..." }                  (stdout, stderr)
//            { id, end: true, status }
//   client   { id, signal: "SIGINT" }                        (interrupted: the averages, then end)
// A client that disconnects ends the session.
import { registerControlOp } from '../image/control.ts';

registerControlOp('sar', async (req, ctx) => {
  const c = ctx.kernel.metrics;
  if (!c || c.stopped) throw new Error('this kernel has no activity collector (boot it with metrics)');
  const args = req.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string') || args.length > 64) {
    throw new Error('sar: args must be an array of at most 64 strings');
  }
  const session = c.sar(args as string[]);
  let interrupted = false;
  let wake: (() => void) | null = null;
  ctx.onFrame((f) => {
    if (f.signal !== undefined) {
      interrupted = true;
      wake?.();
    }
  });
  ctx.signal.addEventListener('abort', () => wake?.(), { once: true });
  let step = session.start();
  for (;;) {
    if (step.out) ctx.send({ fd: 1, text: step.out });
    if (step.err) ctx.send({ fd: 2, text: step.err });
    if (step.sleepMs < 0) return ctx.end(step.status);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, step.sleepMs);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
      if (interrupted || ctx.signal.aborted) wake();
    });
    wake = null;
    if (ctx.signal.aborted) return;
    step = interrupted ? session.end() : session.next();
  }
});
