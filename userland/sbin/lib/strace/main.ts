// strace: traces the system calls of a process inside isokernel (docs/tools.md, "strace").
//
//   strace [-fTcv] [-e trace=SET] [-o FILE] [-s N] -p PID       attach; Ctrl-C detaches
//   strace [-fTcv] [-e trace=SET] [-o FILE] [-s N] PROGRAM ARGS  run PROGRAM traced
//
// The kernel records the calls (trace_attach; src/kernel/trace/tracer.ts); this program
// reads the records (records.ts) and prints them as strace does (format.ts).
import isokernel from 'isokernel';
import { Formatter, summaryTable, traceFilter } from './format.ts';
import { Parser } from './records.ts';
import { LineBytes } from './out.ts';
import { warmUp } from './warm.ts';

const USAGE = `usage: strace [-fTcvrt] [-e trace=SET] [-o FILE] [-s STRSIZE] -p PID
       strace [-fTcvrt] [-e trace=SET] [-o FILE] [-s STRSIZE] PROGRAM [ARGS]
  -p PID      attach to process PID (several: -p 1,2 or -p 1 -p 2; Ctrl-C, SIGINT or
              SIGTERM detaches)
  -f          follow children (spawned after the attach)
  -e trace=SET  only these calls: names and classes (%file %desc %process %signal
              %network %memory %clock %creds %ipc), comma-separated; !SET inverts
  -T          time spent in each call
  -t, -tt, -ttt  wall time of each line (seconds; with µs; since the epoch)
  -r          time since the previous line
  -c          count time, calls and errors per call; print a table at the end
  -o FILE     write the trace to FILE instead of stderr
  -s STRSIZE  bytes of each buffer to print (default 32)
  -v          print rights and structs in full
`;

interface Opts {
  /** -p: the processes to attach to (several -p, or -p 1,2,3). */
  pids: number[];
  follow: boolean;
  timing: boolean;
  stamps: number;
  relative: boolean;
  summary: boolean;
  verbose: boolean;
  filter: string | null;
  out: string | null;
  strsize: number;
  program: string[];
}

/**
 * Bytes asked for per read of a trace descriptor (the lines of each read go out in one
 * write): all the kernel has queued, mostly. The kernel lets its event loop turn when
 * 64 KiB are queued (a traced process's preemption check), which is when a read is
 * answered; what a read takes, strace formats while the process goes on.
 */
const READ_BYTES = 1 << 18;
/** After the warm-up (warm.ts), before the real stream: V8's optimizing compiles finish. */
const WARM_PAUSE_MS = 20;

function die(msg: string, code = 1): never {
  isokernel.write(2, `strace: ${msg}\n`);
  isokernel.exit(code);
}

function parse(argv: string[]): Opts {
  const o: Opts = { pids: [], follow: false, timing: false, stamps: 0, relative: false, summary: false, verbose: false, filter: null, out: null, strsize: 32, program: [] };
  let i = 0;
  const value = (flag: string, rest: string): string => {
    if (rest !== '') return rest;
    const v = argv[++i];
    if (v === undefined) die(`option requires an argument -- '${flag}'\n${USAGE}`);
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-h' || a === '--help') {
      isokernel.write(1, USAGE);
      isokernel.exit(0);
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let k = 1; k < a.length; k++) {
      const f = a[k]!;
      const rest = a.slice(k + 1);
      switch (f) {
        case 'f': o.follow = true; continue;
        case 'T': o.timing = true; continue;
        case 't': o.stamps = Math.min(3, o.stamps + 1); continue;
        case 'r': o.relative = true; continue;
        case 'c': o.summary = true; continue;
        case 'v': o.verbose = true; continue;
        case 'p': {
          for (const v of value(f, rest).split(/[,\s]+/).filter(Boolean)) {
            if (!/^\d+$/.test(v) || Number(v) <= 0) die(`Invalid process id: '${v}'`);
            if (!o.pids.includes(Number(v))) o.pids.push(Number(v));
          }
          break;
        }
        case 'e': {
          const v = value(f, rest);
          const eq = v.indexOf('=');
          const q = eq > 0 ? v.slice(0, eq) : 'trace';
          if (q !== 'trace' && q !== 't') die(`unsupported qualifier '${q}' (only trace=)`);
          o.filter = eq > 0 ? v.slice(eq + 1) : v;
          break;
        }
        case 'o': o.out = value(f, rest); break;
        case 's': {
          const v = value(f, rest);
          if (!/^\d+$/.test(v) || Number(v) > 65536) die(`invalid -s argument: '${v}'`);
          o.strsize = Number(v);
          break;
        }
        default:
          die(`invalid option -- '${f}'\n${USAGE}`);
      }
      break;
    }
  }
  o.program = argv.slice(i);
  if (o.pids.length === 0 && o.program.length === 0) die(`must have PROG [ARGS] or -p PID\n${USAGE}`);
  if (o.pids.length > 0 && o.program.length > 0) die('-p PID and PROG [ARGS] cannot both be given');
  return o;
}

function errText(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return err.code ? `${err.code} (${err.message?.replace(/^[A-Z0-9]+: /, '').replace(/, .*$/, '')})` : String(err.message ?? e);
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  let outFd = 2;
  if (o.out !== null) {
    try {
      outFd = isokernel.open(o.out, 'w');
      isokernel.cloexec(outFd);
    } catch (e) {
      die(`Can't fopen '${o.out}': ${errText(e)}`);
    }
  }
  // The lines of one read's records, as bytes (out.ts), written at once (one write per
  // read). Two buffers: one read's lines go out in an asynchronous write while the next
  // read's are made, so that strace asks the kernel for nothing it must wait for between
  // two reads (each request is answered when the kernel's event loop turns: docs/tools.md,
  // "strace", "How it works"). At most one write is in flight.
  const buffers = [new LineBytes(), new LineBytes()] as const;
  let lines: LineBytes = buffers[0];
  /** The other buffer's write, while it is in flight. */
  let inFlight: Promise<void> | null = null;
  let writeError: unknown = null;
  /** Notes (stderr) that came while a write was in flight: after `at` bytes of the buffer. */
  let deferred: { at: number; line: string }[] = [];
  const writeSync = (fd: number, bytes: Uint8Array): void => {
    let b = bytes;
    while (b.length > 0) {
      const n = isokernel.write(fd, b);
      if (n <= 0) break;
      b = b.subarray(n);
    }
  };
  /** Writes the current buffer now (no write may be in flight). */
  const flush = (): void => {
    writeSync(outFd, lines.view());
    lines.clear();
  };
  const notes = (line: string): void => {
    if (inFlight === null && deferred.length === 0) {
      flush();
      isokernel.write(2, line);
    } else deferred.push({ at: lines.n, line }); // after the lines before it, once the write in flight is done (send)
  };
  /** Waits for the write in flight (its error, if it failed, is thrown here). */
  const drain = async (): Promise<void> => {
    while (inFlight !== null) await inFlight;
    if (writeError !== null) throw writeError;
  };
  /** The current buffer's lines go out, asynchronously: the next lines go into the other buffer. */
  const send = async (): Promise<void> => {
    await drain();
    if (deferred.length > 0) {
      // notes among the lines: everything in order, at once (rare: attach, detach, lost records)
      const view = lines.view();
      let from = 0;
      for (const d of deferred) {
        writeSync(outFd, view.subarray(from, d.at));
        isokernel.write(2, d.line);
        from = d.at;
      }
      deferred = [];
      writeSync(outFd, view.subarray(from));
      lines.clear();
      return;
    }
    if (lines.n === 0) return;
    const full = lines;
    lines = full === buffers[0] ? buffers[1] : buffers[0];
    fmt.writeBytesTo(lines);
    inFlight = isokernel.promises.write(outFd, full.view()).then(
      () => { full.clear(); inFlight = null; },
      (e: unknown) => { writeError = e; inFlight = null; },
    );
  };
  let filter: ((name: string) => boolean) | null = null;
  const options = { timing: o.timing, stamps: o.stamps, relative: o.relative, verbose: o.verbose, summary: o.summary, filter: o.filter === null ? null : (name: string) => filter!(name) };
  const fmt: Formatter = new Formatter(options, (line) => lines.str(line), notes);
  fmt.writeBytesTo(lines);
  if (o.filter !== null) filter = traceFilter(o.filter, (c) => fmt.classMembers(c), () => fmt.callNames);

  // One trace descriptor per -p (or one armed for PROGRAM's child), read side by side.
  const fds: number[] = [];
  let child = 0;
  const how = { follow: o.follow, strsize: o.strsize, times: o.timing || o.summary || o.stamps > 0 || o.relative, summary: o.summary };
  if (o.pids.length === 0) {
    try {
      fds.push(isokernel.traceAttach(0, { ...how, nextChild: true }));
    } catch (e) {
      die(`attach: trace_attach(0): ${errText(e)}`);
    }
  }
  for (const pid of o.pids) {
    try {
      fds.push(isokernel.traceAttach(pid, how));
    } catch (e) {
      notes(`strace: attach: trace_attach(${pid}): ${errText(e)}\n`);
    }
  }
  if (fds.length === 0) isokernel.exit(1);
  let detaching = false;
  const detach = (): void => {
    if (detaching) return;
    detaching = true;
    for (const fd of fds) {
      try {
        isokernel.traceDetach(fd, 0);
      } catch { /* already gone */ }
    }
  };
  if (o.pids.length > 0) for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, detach);
  const parsers = fds.map(() => new Parser());
  const feed = (k: number, b: Uint8Array): void => {
    parsers[k]!.feedTo(b, fmt);
    flush();
  };
  // The schema is each stream's first record, there as soon as the descriptor is: the call
  // table the filter is checked against, and then given to the kernel (trace_filter), so
  // that calls left out cost the traced processes nothing.
  while (fmt.callNames.length === 0) {
    const b = await isokernel.promises.read(fds[0]!, READ_BYTES);
    if (b.length === 0) break;
    feed(0, b);
  }
  if (filter !== null) {
    let names: string[];
    try {
      names = fmt.callNames.filter((n) => filter!(n));
    } catch (e) {
      detach();
      die((e as Error).message);
    }
    if (names.length < fmt.callNames.length) {
      for (const fd of fds) {
        try {
          isokernel.traceFilter(fd, names);
        } catch {
          // an old kernel without trace_filter: strace filters alone
        }
      }
    }
  }

  // V8 compiles the formatter on a made-up stream before the real one comes (warm.ts)
  const schema = fmt.streamSchema;
  if (schema !== null && !o.summary && process.env.STRACE_NO_WARMUP === undefined) {
    flush();
    const warmFormatter = (): Formatter => {
      const wf = new Formatter(options, () => {}, () => {});
      wf.writeBytesTo(lines);
      wf.push({ type: 'schema', pid: 0, tid: 0, time: 0, schema });
      return wf;
    };
    warmUp(warmFormatter(), schema.calls, () => {
      lines.clear(); // the warm-up's lines go nowhere
    }, warmFormatter);
    // V8 compiles on other threads: a moment for the last of it, before the real stream
    await new Promise((r) => setTimeout(r, WARM_PAUSE_MS));
  }

  if (o.pids.length === 0) {
    const prog = o.program[0]!;
    try {
      child = await isokernel.promises.spawn(prog, o.program, { search: true });
    } catch (e) {
      die(`Can't exec '${prog}': ${errText(e)}`);
    }
    // Signals for strace go to the program (a terminal's Ctrl-C reaches both already).
    for (const s of ['SIGTERM', 'SIGHUP'] as const) process.on(s, () => {
      try {
        isokernel.kill(child, s);
      } catch { /* it is gone */ }
    });
    process.on('SIGINT', () => {});
  }

  // Each descriptor's next read is asked for before its last one is formatted: it is there
  // to be answered at the kernel's next turn of its event loop, while strace works. Reads go
  // into two buffers by turns (a new array per read cost more than formatting its records:
  // V8 allocates and copies 256 KiB out of shared memory slowly).
  await Promise.all(fds.map(async (fd, k) => {
    const into = [new Uint8Array(READ_BYTES), new Uint8Array(READ_BYTES)] as const;
    let turn = 0;
    let next = isokernel.promises.readInto(fd, into[0]);
    for (;;) {
      const n = await next;
      if (n === 0) return;
      const b = into[turn]!.subarray(0, n);
      turn ^= 1;
      next = isokernel.promises.readInto(fd, into[turn]!);
      parsers[k]!.feedTo(b, fmt);
      await send();
    }
  }));
  await send();
  await drain();
  if (o.summary) {
    lines.str(summaryTable(fmt.stats));
    flush();
  }
  let status = 0;
  if (child !== 0) {
    const w = await isokernel.promises.wait(child);
    if (w) status = w.code ?? 128 + (w.status & 0x7f);
  }
  if (outFd !== 2) isokernel.close(outFd);
  process.exitCode = status;
}

main().catch((e: unknown) => {
  const err = e as { code?: string; errno?: number };
  die(err.code ? `${err.code}: ${String((e as Error).message)}` : String((e as Error)?.stack ?? e));
});
