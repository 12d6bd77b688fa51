// ps: a snapshot of the processes, from /proc (procps's option forms, the common part).
//
//   ps                 the caller's processes (same uid): PID TTY TIME CMD
//   ps aux             BSD form: every process, USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND
//   ps -ef             every process, full: UID PID PPID C STIME TTY TIME CMD
//   ps -e / -A         every process;  -f full format;  -p PID[,PID]  -u USER[,USER]
//   ps -o FIELD[,FIELD...]  fields (a `FIELD=Header` renames; `=` alone hides the header)
//   ps --sort=[+|-]KEY[,...]   ordering;  --no-headers (or h in BSD form)
// Fields: pid ppid pgid sid uid user stat state etime etimes time cputime rss vsz %cpu pcpu
// %mem pmem comm args cmd command wchan start stime lstart tty nlwp syscalls. docs/tools.md
// says what each means in isokernel.
import { allProcs, CLK_TCK, cputime, die, elapsed, meminfo, type Proc, uptimeSeconds, userName } from './lib/proc.ts';

interface Ctx {
  uptime: number;
  memTotal: number;
  now: number;
}

interface Field {
  header: string;
  right: boolean;
  value: (p: Proc, c: Ctx) => string;
  key: (p: Proc, c: Ctx) => number | string;
}

const cpuSec = (p: Proc) => (p.utime + p.stime) / CLK_TCK;
const etimes = (p: Proc, c: Ctx) => Math.max(0, c.uptime - p.start / CLK_TCK);
const pcpu = (p: Proc, c: Ctx) => {
  const e = etimes(p, c);
  return e > 0 ? Math.min(999.9, (cpuSec(p) / e) * 100) : 0;
};
const pmem = (p: Proc, c: Ctx) => (c.memTotal > 0 ? (p.rss / c.memTotal) * 100 : 0);
const argsOf = (p: Proc) => (p.state === 'Z' ? `[${p.comm}] <defunct>` : p.args.length ? p.args.join(' ') : `[${p.comm}]`);
const startClock = (p: Proc, c: Ctx) => {
  const d = new Date(c.now - (c.uptime - p.start / CLK_TCK) * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  if (c.now - d.getTime() < 86400_000) return `${two(d.getHours())}:${two(d.getMinutes())}`;
  return d.toLocaleString('en', { month: 'short' }) + two(d.getDate());
};

const num = (header: string, f: (p: Proc, c: Ctx) => number): Field => ({ header, right: true, value: (p, c) => String(f(p, c)), key: f });
const FIELDS: Record<string, Field> = {
  pid: num('PID', (p) => p.pid),
  ppid: num('PPID', (p) => p.ppid),
  pgid: num('PGID', (p) => p.pgid),
  sid: num('SID', (p) => p.sid),
  uid: num('UID', (p) => p.uid),
  user: { header: 'USER', right: false, value: (p) => userName(p.uid), key: (p) => userName(p.uid) },
  stat: { header: 'STAT', right: false, value: (p) => p.state + (p.pid === p.sid ? 's' : ''), key: (p) => p.state },
  state: { header: 'S', right: false, value: (p) => p.state, key: (p) => p.state },
  etime: { header: 'ELAPSED', right: true, value: (p, c) => elapsed(etimes(p, c)), key: etimes },
  etimes: num('ELAPSED', (p, c) => Math.floor(etimes(p, c))),
  time: { header: 'TIME', right: true, value: (p) => cputime(cpuSec(p)), key: cpuSec },
  rss: num('RSS', (p) => Math.round(p.rss / 1024)),
  vsz: num('VSZ', (p) => Math.round(p.vsz / 1024)),
  '%cpu': { header: '%CPU', right: true, value: (p, c) => pcpu(p, c).toFixed(1), key: pcpu },
  '%mem': { header: '%MEM', right: true, value: (p, c) => pmem(p, c).toFixed(1), key: pmem },
  comm: { header: 'COMMAND', right: false, value: (p) => p.comm, key: (p) => p.comm },
  args: { header: 'COMMAND', right: false, value: argsOf, key: argsOf },
  wchan: { header: 'WCHAN', right: false, value: (p) => (p.wchan === '0' ? '-' : p.wchan), key: (p) => p.wchan },
  start: { header: 'START', right: true, value: startClock, key: (p) => p.start },
  tty: { header: 'TT', right: false, value: () => '?', key: () => '?' },
  nlwp: num('NLWP', () => 1),
  c: num('C', (p, c) => Math.floor(pcpu(p, c))),
  syscalls: num('SYSCALLS', (p) => p.syscalls),
};
const ALIASES: Record<string, string> = {
  pcpu: '%cpu', pmem: '%mem', cmd: 'args', command: 'args', cputime: 'time', stime: 'start', s: 'state',
  lstart: 'start', tt: 'tty', rssize: 'rss', vsize: 'vsz', ucmd: 'comm', euid: 'uid', euser: 'user', uname: 'user',
};

interface Column {
  field: Field;
  header: string;
}

function column(spec: string): Column {
  const eq = spec.indexOf('=');
  const name = (eq >= 0 ? spec.slice(0, eq) : spec).toLowerCase();
  const f = FIELDS[ALIASES[name] ?? name];
  if (!f) die('ps', `unknown user-defined format specifier "${name}"`);
  return { field: f, header: eq >= 0 ? spec.slice(eq + 1) : f.header };
}

const cols = (names: string) => names.split(/[\s,]+/).filter(Boolean).map(column);

function main(argv: string[]): void {
  let all = false, full = false, bsd = false, headers = true;
  let format: Column[] | null = null;
  const sort: { field: Field; desc: boolean }[] = [];
  let pidList: number[] | null = null;
  let userList: string[] | null = null;
  const take = (i: number, opt: string): string => argv[i] ?? die('ps', `option ${opt} needs an argument`);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--sort')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : take(++i, '--sort');
      for (const k of v.split(',').filter(Boolean)) {
        const desc = k.startsWith('-');
        const name = k.replace(/^[+-]/, '');
        sort.push({ field: column(name).field, desc });
      }
    } else if (a === '--no-headers' || a === '--no-heading') headers = false;
    else if (a === '--help') {
      process.stdout.write('usage: ps [aux] [-ef] [-e|-A] [-f] [-p PIDS] [-u USERS] [-o FIELDS] [--sort=KEYS] [--no-headers]\n');
      return;
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j]!;
        const rest = a.slice(j + 1);
        if (ch === 'e' || ch === 'A') all = true;
        else if (ch === 'f') full = true;
        else if (ch === 'o' || ch === 'p' || ch === 'u' || ch === 'O') {
          const v = rest !== '' ? rest : take(++i, `-${ch}`);
          if (ch === 'o') format = [...(format ?? []), ...cols(v)];
          else if (ch === 'O') format = [...cols('pid'), ...cols(v), ...cols('state,tty,time,comm')];
          else if (ch === 'p') pidList = [...(pidList ?? []), ...v.split(/[\s,]+/).filter(Boolean).map((x) => {
            if (!/^\d+$/.test(x)) die('ps', `process ID list syntax error: ${x}`);
            return Number(x);
          })];
          else userList = [...(userList ?? []), ...v.split(/[\s,]+/).filter(Boolean)];
          break;
        } else die('ps', `unsupported option -${ch} (see ps --help)`);
      }
    } else {
      // BSD options without a dash: a, u, x, w, h, and o FIELDS.
      for (let j = 0; j < a.length; j++) {
        const ch = a[j]!;
        if (ch === 'a' || ch === 'x') all = true;
        else if (ch === 'u') bsd = true;
        else if (ch === 'w') continue;
        else if (ch === 'h') headers = false;
        else if (ch === 'o') {
          format = [...(format ?? []), ...cols(take(++i, 'o'))];
          break;
        } else die('ps', `unsupported option ${ch} (see ps --help)`);
      }
    }
  }
  if (format === null) {
    format = bsd ? cols('user,pid,%cpu,%mem,vsz,rss,tty=TTY,stat,start,time,args')
      : full ? cols('uid=UID,pid,ppid,c,stime=STIME,tty=TTY,time,args=CMD')
        : cols('pid,tty=TTY,time,comm=CMD');
    if (full) format[0] = { field: FIELDS.user!, header: 'UID' };
  }
  const ctx: Ctx = { uptime: uptimeSeconds(), memTotal: meminfo().MemTotal ?? 0, now: Date.now() };
  let procs = allProcs();
  const me = procs.find((p) => p.pid === process.pid);
  if (pidList) procs = procs.filter((p) => pidList!.includes(p.pid));
  if (userList) procs = procs.filter((p) => userList!.includes(userName(p.uid)) || userList!.includes(String(p.uid)));
  if (!pidList && !userList && !all) procs = procs.filter((p) => p.uid === (me?.uid ?? 0));
  if (sort.length) {
    procs.sort((x, y) => {
      for (const s of sort) {
        const a = s.field.key(x, ctx), b = s.field.key(y, ctx);
        const r = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
        if (r !== 0) return s.desc ? -r : r;
      }
      return x.pid - y.pid;
    });
  }
  const rows = procs.map((p) => format!.map((c) => c.field.value(p, ctx)));
  const showHeader = headers && format.some((c) => c.header !== '');
  const widths = format.map((c, i) => Math.max(showHeader ? c.header.length : 0, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((s, i) => {
    const last = i === cells.length - 1;
    if (last && !format![i]!.field.right) return s;
    return format![i]!.field.right ? s.padStart(widths[i]!) : s.padEnd(widths[i]!);
  }).join(' ').trimEnd();
  const out: string[] = [];
  if (showHeader) out.push(line(format.map((c) => c.header)));
  for (const r of rows) out.push(line(r));
  process.stdout.write(out.join('\n') + '\n');
  if (pidList && procs.length === 0) process.exitCode = 1;
}

main(process.argv.slice(2));
