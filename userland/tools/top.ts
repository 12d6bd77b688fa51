// top: the processes, refreshed, busiest first (procps's top, the common part).
//   top [-b] [-n ITERATIONS] [-d SECONDS] [-p PID[,PID]] [-u USER] [-o FIELD] [-w COLUMNS]
// Full screen over any terminal that understands ANSI sequences (cursor home, clear, reverse
// video, the alternate screen); -b (or a stdout that is not a terminal) prints frames one
// after another instead. Keys, as top's: P sort by %CPU, M by %MEM, N by PID, T by TIME+;
// k kill (asks for a PID, then a signal); d or s the delay; space or Enter refresh now;
// q quit. The keyboard is read in raw mode when the kernel's terminal offers it, else each
// key needs Enter.
//
// %CPU is the CPU time (ns, /proc/PID/acct) a process used between two frames over the time
// between them; the first frame shows it since the process started. docs/tools.md.
import { allProcs, die, meminfo, type Proc, uptimeSeconds, userName } from './lib/proc.ts';
import { uptimeLine } from './lib/uptime-line.ts';

type SortKey = '%CPU' | '%MEM' | 'PID' | 'TIME+';

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, TERM: 15, CONT: 18, STOP: 19, TSTP: 20 };

const opts = { batch: false, iterations: Infinity, delay: 3, pids: null as number[] | null, user: null as string | null, sort: '%CPU' as SortKey, width: 0 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  const val = (): string => (a.length > 2 ? a.slice(2) : argv[++i] ?? die('top', `option ${a} needs an argument`));
  if (a === '-b') opts.batch = true;
  else if (a.startsWith('-n')) {
    opts.iterations = Number(val());
    if (!(opts.iterations >= 1)) die('top', 'bad iterations argument');
  } else if (a.startsWith('-d')) {
    opts.delay = Number(val());
    if (!(opts.delay > 0)) die('top', 'bad delay interval');
  } else if (a.startsWith('-p')) {
    opts.pids = val().split(',').map((x) => (/^\d+$/.test(x) ? Number(x) : die('top', `bad pid '${x}'`)));
  } else if (a.startsWith('-u') || a.startsWith('-U')) opts.user = val();
  else if (a.startsWith('-o')) {
    const f = val().toUpperCase().replace(/^[+-]/, '');
    if (f !== '%CPU' && f !== '%MEM' && f !== 'PID' && f !== 'TIME+') die('top', `unknown sort field '${f}' (%CPU, %MEM, PID, TIME+)`);
    opts.sort = f;
  } else if (a.startsWith('-w')) opts.width = Number(val()) || 0;
  else if (a === '-h' || a === '--help') {
    process.stdout.write('usage: top [-b] [-n ITERATIONS] [-d SECONDS] [-p PIDS] [-u USER] [-o FIELD] [-w COLUMNS]\n');
    process.exit(0);
  } else die('top', `unknown option ${a} (see top -h)`);
}

const out = process.stdout as typeof process.stdout & { isTTY?: boolean; rows?: number; columns?: number };
// A terminal, or (through the control socket's exec, which has no terminal device) TERM
// and LINES in the environment.
const screen = !opts.batch && (out.isTTY === true || (!!process.env.TERM && process.env.TERM !== 'dumb' && !!process.env.LINES));
const rows = () => Number(process.env.LINES) || out.rows || 24;
const cols = () => opts.width || Number(process.env.COLUMNS) || out.columns || 80;

// ---- sampling ----

let prevCpu = new Map<number, number>();
let prevAt = 0;
let prevTotals: { busy: number; user: number; sys: number } | null = null;

interface Row {
  p: Proc;
  cpu: number;
  mem: number;
}

function sample(memTotal: number): { rows: Row[]; pctUser: number; pctSys: number } {
  const now = uptimeSeconds();
  const procs = allProcs();
  const next = new Map<number, number>();
  const dt = now - prevAt;
  let user = 0, sys = 0;
  const out: Row[] = [];
  for (const p of procs) {
    const ns = p.acct.cpu_ns ?? (p.utime + p.stime) * 1e7;
    next.set(p.pid, ns);
    user += p.acct.user_ns ?? 0;
    sys += p.acct.sys_ns ?? 0;
    const before = prevCpu.get(p.pid);
    const life = Math.max(1e-3, now - p.start / 100);
    const cpu = before !== undefined && dt > 0 ? ((ns - before) / 1e9 / dt) * 100 : (ns / 1e9 / life) * 100;
    out.push({ p, cpu: Math.max(0, cpu), mem: memTotal > 0 ? (p.rss / memTotal) * 100 : 0 });
  }
  let pctUser = 0, pctSys = 0;
  if (prevTotals && dt > 0) {
    // Processes that ended between frames take their time with them: clamp at 0.
    pctUser = Math.max(0, ((user - prevTotals.user) / 1e9 / dt) * 100);
    pctSys = Math.max(0, ((sys - prevTotals.sys) / 1e9 / dt) * 100);
  }
  prevTotals = { busy: user + sys, user, sys };
  prevCpu = next;
  prevAt = now;
  return { rows: out, pctUser, pctSys };
}

function frame(): string[] {
  const m = meminfo();
  const memTotal = m.MemTotal ?? 0;
  const { rows: all, pctUser, pctSys } = sample(memTotal);
  let list = all;
  if (opts.pids) list = list.filter((r) => opts.pids!.includes(r.p.pid));
  if (opts.user) list = list.filter((r) => userName(r.p.uid) === opts.user || String(r.p.uid) === opts.user);
  const key = (r: Row): number => {
    switch (opts.sort) {
      case '%CPU': return r.cpu;
      case '%MEM': return r.p.rss;
      case 'PID': return -r.p.pid;
      case 'TIME+': return r.p.acct.cpu_ns ?? 0;
    }
  };
  list.sort((a, b) => key(b) - key(a) || a.p.pid - b.p.pid);
  const count = (s: string) => all.filter((r) => r.p.state === s).length;
  const mib = (b: number) => (b / 1048576).toFixed(1).padStart(9);
  const free = m.MemFree ?? 0, cache = (m.Buffers ?? 0) + (m.Cached ?? 0);
  const idle = Math.max(0, 100 - pctUser - pctSys);
  const lines = [
    `top - ${uptimeLine(uptimeSeconds()).trim()}`,
    `Tasks: ${String(all.length).padStart(3)} total, ${String(count('R')).padStart(3)} running, ${String(count('S')).padStart(3)} sleeping, ` +
      `${String(count('T')).padStart(3)} stopped, ${String(count('Z')).padStart(3)} zombie`,
    `%Cpu(s): ${pctUser.toFixed(1).padStart(5)} us, ${pctSys.toFixed(1).padStart(4)} sy,  0.0 ni, ${idle.toFixed(1).padStart(5)} id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st`,
    `MiB Mem : ${mib(memTotal)} total, ${mib(free)} free, ${mib(Math.max(0, memTotal - free - cache))} used, ${mib(cache)} buff/cache`,
    `MiB Swap: ${mib(0)} total, ${mib(0)} free, ${mib(0)} used. ${mib(m.MemAvailable ?? free)} avail Mem`,
    '',
  ];
  const header = `${'PID'.padStart(7)} ${'USER'.padEnd(8)} ${'PR'.padStart(3)} ${'NI'.padStart(3)} ${'VIRT'.padStart(7)} ${'RES'.padStart(6)} ${'SHR'.padStart(6)} S ${'%CPU'.padStart(5)} ${'%MEM'.padStart(5)} ${'TIME+'.padStart(9)} COMMAND`;
  lines.push(screen ? `\x1b[7m${header.padEnd(cols())}\x1b[m` : header);
  const kib = (b: number) => {
    const k = Math.round(b / 1024);
    return k >= 10_000_000 ? `${(k / 1048576).toFixed(1)}g` : k >= 1_000_000 ? `${(k / 1024).toFixed(1)}m` : String(k);
  };
  const room = screen ? Math.max(0, rows() - lines.length - 1) : list.length;
  for (const r of list.slice(0, room)) {
    const p = r.p;
    const cs = (p.acct.cpu_ns ?? 0) / 1e9;
    const timePlus = `${Math.floor(cs / 60)}:${(cs % 60).toFixed(2).padStart(5, '0')}`;
    const line = `${String(p.pid).padStart(7)} ${userName(p.uid).slice(0, 8).padEnd(8)} ${'20'.padStart(3)} ${'0'.padStart(3)} ` +
      `${kib(p.vsz).padStart(7)} ${kib(p.rss).padStart(6)} ${'0'.padStart(6)} ${p.state} ${r.cpu.toFixed(1).padStart(5)} ` +
      `${r.mem.toFixed(1).padStart(5)} ${timePlus.padStart(9)} ${p.comm}`;
    lines.push(line.slice(0, cols()));
  }
  return lines;
}

// ---- the screen and the keyboard ----

let prompt: { text: string; input: string; done: (s: string) => void } | null = null;
let message = '';
let timer: ReturnType<typeof setTimeout> | null = null;
let frames = 0;

function draw(): void {
  const lines = frame();
  frames++;
  if (!screen) {
    process.stdout.write(lines.join('\n') + '\n\n');
    return;
  }
  // The line under the header block holds a prompt or a message, as top's does.
  lines[5] = prompt ? `\x1b[1m${prompt.text}\x1b[m ${prompt.input}` : message;
  process.stdout.write('\x1b[H' + lines.map((l) => l + '\x1b[K').join('\n') + '\x1b[J');
}

function schedule(): void {
  if (timer) clearTimeout(timer);
  if (frames >= opts.iterations) return quit(0);
  timer = setTimeout(() => {
    draw();
    schedule();
  }, opts.delay * 1000);
}

let rawMode = false;
function quit(code: number): void {
  if (timer) clearTimeout(timer);
  if (screen) process.stdout.write('\x1b[?25h\x1b[?1049l');
  const stdin = process.stdin as typeof process.stdin & { setRawMode?: (on: boolean) => unknown };
  if (rawMode) stdin.setRawMode?.(false);
  process.stdin.pause();
  process.exit(code);
}

function ask(text: string, done: (s: string) => void): void {
  prompt = { text, input: '', done };
  draw();
}

function key(ch: string): void {
  if (prompt) {
    if (ch === '\r' || ch === '\n') {
      const p = prompt;
      prompt = null;
      p.done(p.input);
    } else if (ch === '\x7f' || ch === '\b') prompt.input = prompt.input.slice(0, -1);
    else if (ch === '\x1b') prompt = null;
    else if (ch >= ' ') prompt.input += ch;
    draw();
    return;
  }
  message = '';
  switch (ch) {
    case 'q': case '\x03': return quit(0);
    case 'P': opts.sort = '%CPU'; break;
    case 'M': opts.sort = '%MEM'; break;
    case 'N': opts.sort = 'PID'; break;
    case 'T': opts.sort = 'TIME+'; break;
    case 'k': {
      return ask('PID to signal/kill:', (pidText) => {
        const pid = Number(pidText);
        if (!/^\d+$/.test(pidText.trim())) {
          message = ` Unacceptable integer: '${pidText}'`;
          return;
        }
        ask(`Send pid ${pid} signal [15/sigterm]:`, (sigText) => {
          const t = sigText.trim().toUpperCase().replace(/^SIG/, '');
          const sig = t === '' ? 15 : /^\d+$/.test(t) ? Number(t) : SIGNALS[t];
          if (sig === undefined) {
            message = ` Unknown signal '${sigText}'`;
            return;
          }
          try {
            process.kill(pid, sig);
            message = ` Sent signal ${sig} to pid ${pid}`;
          } catch (e) {
            message = ` Failed signal pid '${pid}' with '${sig}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
          }
        });
      });
    }
    case 'd': case 's':
      return ask(`Change delay from ${opts.delay.toFixed(1)} to`, (v) => {
        const d = Number(v);
        if (v.trim() !== '' && !(d > 0)) message = ` Unacceptable floating point: '${v}'`;
        else if (v.trim() !== '') opts.delay = d;
        schedule();
      });
    case ' ': case '\r': case '\n': break;
    default: return;
  }
  draw();
  schedule();
}

if (screen) {
  process.stdout.write('\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J');
  const stdin = process.stdin as typeof process.stdin & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
  if (stdin.isTTY && typeof stdin.setRawMode === 'function') {
    try {
      stdin.setRawMode(true);
      rawMode = true;
    } catch { /* line mode: each key needs Enter */ }
  }
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (s: string) => {
    for (const ch of s) key(ch);
  });
  process.stdin.on('end', () => quit(0));
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => quit(0));
}
draw();
schedule();
