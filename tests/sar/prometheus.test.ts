// Prometheus exposition: scraped with curl from the loopback server, parsed strictly by the
// text format's rules (version 0.0.4), and checked for the kernel's, services' and processes'
// metrics and their labels.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kernel } from '../../src/kernel/kernel.ts';
import type { Vnode } from '../../src/kernel/vfs/vnode.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SH = path.join(ROOT, 'userland/bin/sh');
const run = promisify(execFile);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Parsed {
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Unescapes a HELP text (\\ and \n only) or a label value (also \"); throws on any other escape. */
function unescape(s: string, quote: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      if (c === '\n') throw new Error('raw newline');
      out += c;
      continue;
    }
    const n = s[++i];
    if (n === '\\') out += '\\';
    else if (n === 'n') out += '\n';
    else if (n === '"' && quote) out += '"';
    else throw new Error(`bad escape \\${n ?? ''} in ${JSON.stringify(s)}`);
  }
  return out;
}

function parseValue(v: string): number {
  if (v === 'NaN') return NaN;
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  if (!FLOAT.test(v)) throw new Error(`bad value ${JSON.stringify(v)}`);
  return Number(v);
}

/** The text format, strictly: every rule of the spec, plus: every sample typed, counters end in _total. */
function parseExposition(text: string): Parsed {
  assert.ok(text.endsWith('\n'), 'the last line ends with a line feed');
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: Sample[] = [];
  const seenSeries = new Set<string>();
  const closed = new Set<string>();
  let current: string | null = null;
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, no) => {
    const where = `line ${no + 1}: ${line}`;
    if (line.trim() === '') return;
    if (/^\s*#/.test(line)) {
      const m = /^\s*#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (!m) return; // another comment
      const [, kind, name, rest = ''] = m;
      assert.match(name!, METRIC, where);
      if (kind === 'HELP') {
        assert.ok(!help.has(name!), `one HELP per metric: ${where}`);
        help.set(name!, unescape(rest, false));
      } else {
        assert.ok(!types.has(name!), `one TYPE per metric: ${where}`);
        assert.ok(!samples.some((s) => s.name === name), `TYPE before the samples: ${where}`);
        assert.match(rest, /^(counter|gauge|histogram|summary|untyped)$/, where);
        types.set(name!, rest);
      }
      return;
    }
    const m = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?\s+(\S+)(?:\s+(-?\d+))?\s*$/.exec(line);
    assert.ok(m, `a sample line: ${where}`);
    const [, name, braces, v] = m;
    const labels: Record<string, string> = {};
    if (braces) {
      const body = braces.slice(1, -1);
      const re = /\s*([^=\s]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
      let pos = 0;
      while (pos < body.length) {
        re.lastIndex = pos;
        const l = re.exec(body);
        assert.ok(l, `labels: ${where}`);
        assert.match(l[1]!, LABEL, where);
        assert.ok(!l[1]!.startsWith('__'), `reserved label name: ${where}`);
        assert.ok(!(l[1]! in labels), `duplicate label: ${where}`);
        labels[l[1]!] = unescape(l[2]!, true);
        pos = re.lastIndex;
        if (l[3] === '') break;
      }
    }
    const family = name!;
    assert.ok(types.has(family), `a TYPE for ${family}`);
    if (types.get(family) === 'counter') assert.ok(family.endsWith('_total'), `counter ${family} ends in _total`);
    if (current !== family) {
      assert.ok(!closed.has(family), `the samples of ${family} are contiguous`);
      if (current !== null) closed.add(current);
      current = family;
    }
    const key = `${family}${JSON.stringify(Object.entries(labels).sort())}`;
    assert.ok(!seenSeries.has(key), `duplicate series: ${where}`);
    seenSeries.add(key);
    const value = parseValue(v!);
    if (types.get(family) === 'counter') assert.ok(value >= 0, `counters are not negative: ${where}`);
    samples.push({ name: family, labels, value });
  });
  for (const name of types.keys()) assert.ok(help.has(name), `HELP for ${name}`);
  return { types, help, samples };
}

const get = (p: Parsed, name: string, labels: Record<string, string> = {}): number | undefined =>
  p.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

test('the strict parser refuses what the format forbids', () => {
  const bad = [
    'a 1', // no final newline
    '# TYPE a gauge\n# HELP a x\na{b="\\x"} 1\n', // bad escape
    '# TYPE a gauge\n# HELP a x\na 1\n# TYPE b gauge\n# HELP b x\nb 1\na 2\n', // not contiguous
    '# TYPE a gauge\n# HELP a x\na 1\na 2\n', // duplicate series
    '# TYPE a_total counter\n# HELP a_total x\na_total -1\n', // negative counter
    '# TYPE a counter\n# HELP a x\na 1\n', // counter without _total
    'a 1\n', // untyped
    '# TYPE a gauge\n# HELP a x\na{1b="x"} 1\n', // bad label name
    '# TYPE a gauge\n# HELP a x\na 1e\n', // bad value
  ];
  for (const t of bad) assert.throws(() => parseExposition(t), Error, JSON.stringify(t));
  const ok = parseExposition('# HELP a_total say \\\\ and \\n\n# TYPE a_total counter\na_total{x="q\\"\\\\\\n",y="z",} 1.5e3 1700000000000\n');
  assert.equal(ok.help.get('a_total'), 'say \\ and \n');
  assert.deepEqual(ok.samples[0], { name: 'a_total', labels: { x: 'q"\\\n', y: 'z' }, value: 1500 });
});

test('curl scrapes a strictly valid exposition: kernel, service and process metrics with labels', async (t) => {
  try {
    await run('curl', ['--version']);
  } catch {
    t.skip('curl is not installed');
    return;
  }
  const k = await Kernel.boot({ metrics: { intervalMs: 60_000, listen: '127.0.0.1:0' } });
  try {
    // A manifest naming a service, as a booted image has: /etc/isokernel/manifest.json.
    const root = k.ns.root.vnode as Vnode;
    const etc = root.mkdir('etc', 0o755).mkdir('isokernel', 0o755);
    const json = new TextEncoder().encode(JSON.stringify({ services: [{ name: 'napper', program: '/bin/sleep', args: ['30'] }] }));
    etc.create('manifest.json', 0o644).open(true).write(json, 0);
    // PID 1 starts the service's program (and another sleep that is not it); then a process
    // whose name needs escaping, and work that ends (its counts must stay).
    const init = k.spawn({ program: SH, args: ['init', '-c', 'sleep 30 & sleep 31 & wait'], stdio: ['null', 'null', 'inherit'] });
    assert.equal(init.pid, 1);
    const odd = k.spawn({ program: SH, args: ['we"ird\\na\nme', '-c', 'sleep 30'], stdio: ['null', 'null', 'inherit'] });
    const w = k.spawn({ program: SH, args: ['sh', '-c', 'yes | head -c 300000 > /tmp/f'], stdio: ['null', 'null', 'inherit'] });
    assert.equal((await w.exited).status, 0);
    // Until init's children and the odd process are all asleep.
    const { exposition } = await import('../../src/metrics/prometheus.ts');
    for (const until = Date.now() + 30_000; Date.now() < until;) {
      const x = exposition(k.metrics!);
      if (x.includes('isokernel_service_processes{service="napper"} 1') && (x.match(/^isokernel_process_memory_bytes\{[^}]*name="sleep"/gm)?.length ?? 0) >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = k.metrics!.server!.url;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    const { stdout } = await run('curl', ['-sS', '--fail', '-D', '-', url]);
    const [head, body] = stdout.split('\r\n\r\n') as [string, string];
    assert.match(head, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(head, /\r\nContent-Type: text\/plain; version=0\.0\.4; charset=utf-8\r\n/i);
    const p = parseExposition(body);

    // Kernel metrics.
    assert.equal(p.types.get('isokernel_cpu_seconds_total'), 'counter');
    assert.ok(get(p, 'isokernel_uptime_seconds')! > 0);
    assert.ok(get(p, 'isokernel_processes', { state: 'sleeping' })! >= 4);
    assert.ok(get(p, 'isokernel_processes_created_total')! >= 7);
    assert.ok(get(p, 'isokernel_syscalls_total', { name: 'fd_write' })! > 0);
    assert.ok(get(p, 'isokernel_cpu_seconds_total', { mode: 'user' })! >= 0);
    assert.ok(get(p, 'isokernel_io_written_bytes_total', { kind: 'pipe' })! >= 300_000);
    assert.ok(get(p, 'isokernel_io_written_bytes_total', { kind: 'file' })! >= 300_000);
    assert.ok(get(p, 'isokernel_mount_written_bytes_total', { mount: '/' })! >= 300_000);
    for (const l of ['isokernel_load1', 'isokernel_load5', 'isokernel_load15', 'isokernel_memory_linear_bytes',
      'isokernel_host_memory_resident_bytes', 'isokernel_network_receive_bytes_total']) {
      assert.ok(get(p, l) !== undefined, l);
    }
    // Services: the service by its manifest name, other processes by their program's name;
    // ended processes stay in their group's counters.
    assert.equal(get(p, 'isokernel_service_processes', { service: 'napper' }), 1);
    assert.ok(get(p, 'isokernel_service_processes', { service: 'sleep' })! >= 1, 'the other sleep is not the service');
    assert.ok(get(p, 'isokernel_service_written_bytes_total', { service: 'yes' })! >= 300_000, 'ended, still counted');
    // Processes: pid, name, service; the odd name round-trips through the escaping.
    const napper = p.samples.find((s) => s.name === 'isokernel_process_syscalls_total' && s.labels.service === 'napper');
    assert.ok(napper && napper.labels.name === 'sleep' && Number(napper.labels.pid) > 1);
    assert.ok(p.samples.some((s) => s.name === 'isokernel_process_memory_bytes' && s.labels.pid === String(odd.pid)
      && s.labels.name === 'we"ird\\na\nme' && s.labels.service === 'we"ird\\na\nme'));
    assert.ok(get(p, 'isokernel_process_cpu_seconds_total', { pid: '1', mode: 'user' }) !== undefined);
    assert.ok(!p.samples.some((s) => s.name.startsWith('isokernel_process_') && s.labels.pid === String(w.pid)), 'no ended process');

    // gzip when asked, HEAD, 404, 405.
    const gz = await run('curl', ['-sS', '--fail', '--compressed', url]);
    parseExposition(gz.stdout);
    const code = async (args: string[]): Promise<string> => (await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', ...args])).stdout;
    assert.equal(await code(['-I', url]), '200');
    assert.equal(await code([url.replace('/metrics', '/nope')]), '404');
    assert.equal(await code(['-X', 'POST', url]), '405');
  } finally {
    await k.shutdown();
  }
  assert.equal(k.metrics!.server, null, 'the server is closed with the kernel');
});

test('the listen address must be loopback and free', async () => {
  for (const bad of ['0.0.0.0:9100', '10.0.0.1:9100', 'example.com:80', '127.0.0.1', '127.0.0.1:99999', ':9100']) {
    await assert.rejects(Kernel.boot({ metrics: { listen: bad } }), /metrics listen/, bad);
  }
  const k = await Kernel.boot({ metrics: { listen: '127.0.0.1:0' } });
  try {
    const port = k.metrics!.server!.port;
    await assert.rejects(Kernel.boot({ metrics: { listen: `127.0.0.1:${port}` } }), /EADDRINUSE|address already in use/i);
  } finally {
    await k.shutdown();
  }
});

test('cardinality is bounded: programs beyond MAX_GROUPS are grouped as (other)', async () => {
  const { exposition } = await import('../../src/metrics/prometheus.ts');
  const { MAX_GROUPS, OTHER_GROUP } = await import('../../src/metrics/snapshot.ts');
  const k = await Kernel.boot({ metrics: { intervalMs: 60_000 } });
  try {
    const ECHO = path.join(ROOT, 'userland/bin/echo');
    const ps = [];
    for (let i = 0; i < MAX_GROUPS + 40; i++) ps.push(k.spawn({ program: ECHO, args: [`prog${i}`, 'hi'], stdio: ['null', 'null', 'null'] }));
    for (const p of ps) assert.equal((await p.exited).status, 0);
    const p = parseExposition(exposition(k.metrics!));
    const services = new Set(p.samples.filter((s) => s.name === 'isokernel_service_syscalls_total').map((s) => s.labels.service));
    assert.ok(services.size <= MAX_GROUPS + 1, `${services.size} groups`);
    assert.ok(services.has(OTHER_GROUP));
    const total = p.samples.filter((s) => s.name === 'isokernel_service_syscalls_total').reduce((a, s) => a + s.value, 0);
    assert.ok(total > 0);
    assert.equal(total, p.samples.filter((s) => s.name === 'isokernel_syscalls_total').reduce((a, s) => a + s.value, 0),
      'every call is in some group');
  } finally {
    await k.shutdown();
  }
});
