// Reading syslogd's files (docs/logging.md, "isokernel logs"): which file a request reads,
// and the last lines of a file and its rotated ones. Shared by the control socket's `logs`
// op (through the kernel's namespace) and `isokernel logs` with no kernel running (the
// state directory's var/log on the host).
import { gunzipSync } from 'node:zlib';
import { makeRouter, type SyslogConfig } from '../../userland/sbin/sysloglib/config.ts';
import { parseLine } from '../../userland/sbin/sysloglib/format.ts';

/** The file's name (without .log) a request reads, or null. */
export function chooseFile(cfg: SyslogConfig, service: string | undefined): string | null {
  const files = cfg.files;
  if (files.length === 0) return null;
  if (service === undefined) return (files.find((f) => f.match.includes('*')) ?? files[0]!).name;
  const named = files.find((f) => f.match.includes(service));
  if (named) return named.name;
  const route = makeRouter(files);
  const i = route(service, 0)[0];
  return i === undefined ? null : files[i]!.name;
}

/** Splits text into whole lines (a trailing partial line is left for later) and filters by tag. */
export function lines(text: string, tag: string | undefined): { whole: string[]; rest: string } {
  const parts = text.split('\n');
  const rest = parts.pop()!;
  const whole = tag === undefined ? parts : parts.filter((l) => parseLine(l)?.tag === tag);
  return { whole, rest };
}

/** Reads a log file (whole, or up to `to` bytes); null if there is none. */
export type LogReadFn = (path: string, to?: number) => Uint8Array | null;

/**
 * The last n lines (tagged `tag`, if given) of DIR/NAME.log and, as needed, its rotated
 * files (NAME.log.1 or NAME.log.1.gz, …), oldest first; NAME.log is read up to `curEnd`.
 */
export function readLastLines(read: LogReadFn, dir: string, name: string, tag: string | undefined, n: number, curEnd = Infinity): string[] {
  const out: string[][] = [];
  let have = 0;
  for (let i = 0; have < n && i <= 10_000; i++) {
    const base = `${dir}/${name}.log${i === 0 ? '' : `.${i}`}`;
    let text: string;
    const plain = read(base, i === 0 ? curEnd : Infinity);
    if (plain) text = Buffer.from(plain).toString();
    else {
      const gz = read(`${base}.gz`);
      if (!gz) break;
      try {
        text = gunzipSync(gz).toString();
      } catch {
        break;
      }
    }
    const { whole } = lines(text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1), tag);
    out.unshift(whole);
    have += whole.length;
  }
  const all = out.flat();
  return all.slice(Math.max(0, all.length - n));
}

