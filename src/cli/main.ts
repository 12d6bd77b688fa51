// The host command `isokernel`: run, core, and the commands for images and their tools.
// Each command's module is loaded when it runs: `isokernel ps` need not load the kernel.
import dc from 'node:diagnostics_channel';

const USAGE = `usage: isokernel COMMAND [ARGS...]

commands:
  run [--dir HOST[::GUEST]]... [--env K=V]... [--limit NAME=SOFT[:HARD]]... [--] PROGRAM [ARGS...]
        run a program in a fresh kernel, stdio passed through: a WASI module (.wasm),
        a JS/TS file (.js .mjs .cjs .ts), or a guest path such as /bin/sh (docs/abi.md)
  core FILE [x/FMT ADDR]...
        print a core file's fault record, backtrace, globals, descriptors; examine its
        memory as gdb's x does (docs/core.md)
  build DIR -o FILE [--no-gzip]
        pack an image directory (isokernel.toml and its files) into one checksummed
        image file (docs/manifest.md)
  boot FILE|DIR [--state DIR]
        boot an image: init, its services, cron jobs and logs; /var persists in
        STATE/var (docs/images.md)
  ps [--state DIR] [ARGS...]
        the running image's processes (its /bin/ps with ARGS when it has one)
  service status [NAME] | start|stop|restart|reload NAME [--json] [--state DIR]
        init's services in the running image (docs/services.md)
  exec [--state DIR] [--tty] PROGRAM [ARGS...]
        run a program inside the running image, stdio passed through
  strace [--state DIR] -p PID [OPTIONS] | strace [OPTIONS] PROGRAM [ARGS...]
        trace system calls: of a process of the running image, or of PROGRAM in a
        fresh kernel (-f -e trace= -T -c -o -s, as strace; docs/tools.md)
  logs [--state DIR] [-f] [-n N] [SERVICE]
        the running image's log lines (/var/log, written by syslogd), a service's
        alone with SERVICE; -f follows them (docs/logging.md)
  top|free|vmstat|iostat|iotop|uptime [--state DIR] [ARGS...]
        the running image's own tool with ARGS: processes by CPU or memory, memory,
        activity, I/O by mount and by process, load (docs/tools.md)
  sar [--state DIR] [-f FILE] [SAR-OPTIONS] [INTERVAL [COUNT]]
        system activity, as sysstat's sar: history (kept 7 days in STATE/sa.db) or
        live (docs/tools.md)
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'run':
      return (await import('./run.ts')).run(rest);
    case 'core':
      return (await import('./core.ts')).core(rest);
    case 'build': // loaded on demand: `run` need not load the image code
      return (await import('./build.ts')).build(rest);
    case 'boot':
      return (await import('./boot.ts')).boot(rest);
    case 'ps':
      return (await import('./ps.ts')).ps(rest);
    case 'service':
      return (await import('./service.ts')).service(rest);
    case 'exec':
      return (await import('./exec.ts')).exec(rest);
    case 'strace':
      return (await import('./strace.ts')).strace(rest);
    case 'sar':
      return (await import('./sar.ts')).sar(rest);
    case 'logs':
      return (await import('./logs.ts')).logs(rest);
    case 'top':
    case 'free':
    case 'vmstat':
    case 'iostat':
    case 'iotop':
    case 'uptime':
      return (await import('./tools.ts')).tool(cmd, rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`isokernel: unknown command ${cmd}\n${USAGE}`);
      return 2;
  }
}

/**
 * Isolates the kernel gave up on (they did not end when terminated: jsproc/guard.ts), followed
 * through its diagnostics channels so that the CLI need not load the kernel to know.
 */
let lostIsolates = 0;
dc.subscribe('isokernel:jsproc:lost', () => void lostIsolates++);
dc.subscribe('isokernel:jsproc:found', () => void lostIsolates--);

/**
 * Ends the host process with `code`. Node joins every worker thread at exit, so a lost
 * isolate would hang process.exit(): then the host kills itself instead, and says so.
 */
function exitWith(code: number): void {
  if (lostIsolates <= 0) return void process.exit(code);
  process.stderr.write(`isokernel: ${lostIsolates} JS isolate${lostIsolates === 1 ? '' : 's'} could not be stopped (docs/jsproc.md, ` +
    `"Containment"); ending the host process with SIGKILL (exit status would have been ${code})\n`, () => {
    process.kill(process.pid, 'SIGKILL');
  });
}

// Flush stdio before exiting: process.exit() would cut a pending asynchronous write.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  setImmediate(() => exitWith(code));
}, (e: unknown) => {
  process.stderr.write(`isokernel: internal error: ${(e as Error)?.stack ?? e}\n`);
  process.exit(70);
});
