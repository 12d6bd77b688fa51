// The host command `isokernel`. Subcommands: run, core (more come with images and tools).
import { core } from './core.ts';
import { run } from './run.ts';

const USAGE = `usage: isokernel COMMAND [ARGS...]

commands:
  run [--dir HOST[::GUEST]]... [--env K=V]... [--] PROGRAM.wasm [ARGS...]
        run a WASI program in a fresh kernel, stdio passed through
  core FILE [x/FMT ADDR]...
        print a core file's fault record, backtrace, globals, descriptors; examine its
        memory as gdb's x does (docs/core.md)
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'run':
      return run(rest);
    case 'core':
      return core(rest);
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

// Flush stdio before exiting: process.exit() would cut a pending asynchronous write.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  setImmediate(() => process.exit(code));
}, (e: unknown) => {
  process.stderr.write(`isokernel: internal error: ${(e as Error)?.stack ?? e}\n`);
  process.exit(70);
});
