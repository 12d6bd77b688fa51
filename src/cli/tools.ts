// `isokernel top|free|vmstat|iostat|iotop|uptime [--state DIR] [ARGS...]`: the image's own
// tool (/bin/NAME, userland/tools/NAME.ts) run inside the running kernel through the
// control socket's `exec` op, with ARGS (docs/tools.md). The full-screen ones (top, iotop)
// get a terminal's size when this process has a terminal, and this terminal goes into raw
// mode meanwhile, so that their keys arrive as typed; it is put back however they end.
import { takeStateOption } from './control-client.ts';
import { execRemote } from './exec.ts';

export const TOOLS = ['top', 'free', 'vmstat', 'iostat', 'iotop', 'uptime'] as const;
const FULL_SCREEN = new Set(['top', 'iotop']);

export async function tool(name: string, args: string[]): Promise<number> {
  const o = takeStateOption(args);
  if ('error' in o) {
    process.stderr.write(`isokernel ${name}: ${o.error}\nusage: isokernel ${name} [--state DIR] [ARGS...]\n`);
    return 2;
  }
  const batch = o.rest.includes('-b') || o.rest.includes('--batch');
  const tty = FULL_SCREEN.has(name) && !batch && process.stdout.isTTY === true;
  const raw = tty && process.stdin.isTTY === true;
  if (raw) process.stdin.setRawMode(true);
  try {
    return await execRemote(o.state, [`/bin/${name}`, ...o.rest], { tty });
  } catch (e) {
    process.stderr.write(`isokernel ${name}: ${(e as Error).message}\n`);
    return 1;
  } finally {
    if (raw) process.stdin.setRawMode(false);
  }
}
