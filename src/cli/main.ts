// The host command `isokernel`. Subcommands: run (more come with images and tools).
import { run } from './run.ts';

const USAGE = `usage: isokernel COMMAND [ARGS...]

commands:
  run [--dir HOST[::GUEST]]... [--env K=V]... [--] PROGRAM.wasm [ARGS...]
        run a WASI program in a fresh kernel, stdio passed through
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'run':
      return run(rest);
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
