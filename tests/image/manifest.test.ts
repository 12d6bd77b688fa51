// isokernel.toml validation (src/image/manifest.ts): every kind of error names file, line,
// column, field path and what was expected; defaults; units; key positions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSchedule, ManifestError, parseDuration, parseManifest, parseSize, type ManifestProblem } from '../../src/image/manifest.ts';
import { manifestToJson } from '../../src/image/manifest-types.ts';
import { pathKey, scanPositions } from '../../src/image/toml-positions.ts';

function problems(src: string): ManifestProblem[] {
  try {
    parseManifest(src, 'img/isokernel.toml');
  } catch (e) {
    assert.ok(e instanceof ManifestError, String(e));
    return e.problems;
  }
  assert.fail('accepted');
}

/** The one problem at `path`: its line, column and message. */
function one(src: string, path: string): ManifestProblem {
  const ps = problems(src).filter((p) => p.path === path);
  assert.equal(ps.length, 1, `one problem at ${path}; got ${JSON.stringify(problems(src))}`);
  return ps[0]!;
}

test('manifest-defaults: a minimal manifest is filled in', () => {
  const m = parseManifest('name = "tiny"\n');
  assert.equal(m.name, 'tiny');
  assert.equal(m.version, '0.0.0');
  assert.equal(m.hostname, 'tiny');
  assert.deepEqual(m.mounts.map((x) => [x.path, x.type, x.source]), [['/app', 'image', '.'], ['/var', 'state', 'var'], ['/tmp', 'tmpfs', '']]);
  assert.deepEqual(m.services, []);
  assert.deepEqual(m.cron, []);
  assert.equal(m.logs.files.length, 1);
  assert.equal(m.logs.files[0]!.name, 'messages');
  assert.equal(m.logs.remote, null);
  assert.deepEqual(m.network, { listen: [], egress: [] });
  assert.deepEqual(m.image, { exclude: [], jsPool: 1 });
});

test('manifest-full: every section normalized', () => {
  const m = parseManifest(`
name = "full"
version = "2.1.0"
hostname = "full-host"

[image]
exclude = ["src/**"]
js_pool = 3

[[mounts]]
path = "/srv/www"
type = "image"
source = "www"

[[mounts]]
path = "/data"
type = "host"
source = "/tmp"
readonly = true

[[mounts]]
path = "/scratch"
type = "tmpfs"
size = "64MiB"

[services.db]
program = "bin/db.wasm"
user = "1000:100"
restart = "always"
limits = { memory = "64MiB", open_files = 256, cpu = "10s", file_size = "1G", core = "unlimited", threads = 4, children = 8, processes = 32 }
readiness = { command = "test -e /tmp/db.ready", interval = "250ms", timeout = "5s" }
stop_signal = "SIGINT"
stop_timeout = "3s"

[services.web]
program = "/sbin/httpd/httpd.ts"
args = ["--port", "8080"]
env = { MODE = "prod", WORKERS = 4 }
cwd = "/srv/www"
user = "nobody"
depends_on = ["db"]
backoff = { initial = "1s", max = "1m" }
crash_loop = { max_restarts = 3, window = "30s" }
readiness = { tcp = 8080 }

[cron.rotate]
schedule = "@daily"
timezone = "Europe/Paris"
command = "echo hi"
overlap = true

[cron.every5]
schedule = "*/5 * * * 1-5"
command = "true"
user = "7"

[logs]
remote = { protocol = "tcp", host = "logs.example", port = 6514, facility = "local3" }

[logs.files.app]
match = ["web", "db"]
min_severity = "warning"
rotate = { size = "10MiB", age = "7d", keep = 9, compress = false }

[network]
listen = [{ port = 8080, host = "0.0.0.0", host_port = 18080 }]
egress = ["10.0.0.0/8:5432"]
`);
  assert.equal(m.hostname, 'full-host');
  assert.deepEqual(m.image, { exclude: ['src/**'], jsPool: 3 });
  assert.deepEqual(m.mounts.map((x) => [x.path, x.type, x.source, x.readonly, x.sizeBytes]), [
    ['/srv/www', 'image', 'www', true, 0], ['/data', 'host', '/tmp', true, 0], ['/scratch', 'tmpfs', '', false, 64 << 20],
    ['/var', 'state', 'var', false, 0], ['/tmp', 'tmpfs', '', false, 0],
  ]);
  const db = m.services.find((s) => s.name === 'db')!;
  assert.equal(db.program, '/srv/www/bin/db.wasm'); // relative: under the image mount
  assert.deepEqual([db.uid, db.gid], [1000, 100]);
  assert.equal(db.restart, 'always');
  assert.deepEqual(db.limits, { openFiles: 256, threads: 4, children: 8, userProcesses: 32, memoryPages: 1024, coreBytes: Infinity, fileBytes: 1 << 30, cpuMs: 10_000 });
  assert.deepEqual(db.readiness, { type: 'command', command: 'test -e /tmp/db.ready', intervalMs: 250, timeoutMs: 5000 });
  assert.equal(db.stopSignal, 2);
  assert.equal(db.stopTimeoutMs, 3000);
  const web = m.services.find((s) => s.name === 'web')!;
  assert.deepEqual(web.env, { MODE: 'prod', WORKERS: '4' });
  assert.deepEqual([web.uid, web.gid], [65534, 65534]);
  assert.deepEqual(web.dependsOn, ['db']);
  assert.deepEqual(web.backoffMs, { initial: 1000, max: 60_000 });
  assert.deepEqual(web.crashLoop, { maxRestarts: 3, windowMs: 30_000 });
  assert.deepEqual(web.readiness, { type: 'tcp', port: 8080, timeoutMs: 30_000 });
  assert.equal(web.restart, 'on-failure');
  assert.deepEqual(m.cron, [
    { name: 'rotate', schedule: '@daily', timezone: 'Europe/Paris', command: 'echo hi', uid: 0, gid: 0, overlap: true },
    { name: 'every5', schedule: '*/5 * * * 1-5', timezone: 'UTC', command: 'true', uid: 7, gid: 7, overlap: false },
  ]);
  assert.deepEqual(m.logs.remote, { protocol: 'tcp', host: 'logs.example', port: 6514, facility: 19 });
  assert.deepEqual(m.logs.files, [{ name: 'app', match: ['web', 'db'], minSeverity: 4, rotate: { maxBytes: 10 << 20, maxAgeMs: 7 * 86_400_000, keep: 9, compress: false } }]);
  assert.deepEqual(m.network, { listen: [{ port: 8080, host: '0.0.0.0', hostPort: 18080 }], egress: ['10.0.0.0/8:5432'] });
  // Unlimited survives JSON as Infinity with a plain JSON.parse.
  assert.equal((JSON.parse(manifestToJson(m)) as typeof m).services[0]!.limits.coreBytes, Infinity);
});

test('manifest-syntax: a TOML syntax error has its line and column', () => {
  const ps = problems('name = "x"\n[services.a]\nprogram = "a.wasm\n');
  assert.equal(ps.length, 1);
  assert.equal(ps[0]!.file, 'img/isokernel.toml');
  assert.equal(ps[0]!.line, 3);
  assert.match(ps[0]!.message, /^TOML syntax: /);
  const dup = problems('name = "x"\nname = "y"\n');
  assert.equal(dup[0]!.line, 2);
});

test('manifest-enum: a bad choice lists the choices, at the value', () => {
  const p = one('name = "x"\n[services.web]\nprogram = "/bin/true"\nrestart = "sometimes"\n', 'services.web.restart');
  assert.equal(p.line, 4);
  assert.equal(p.column, 11);
  assert.match(p.message, /expected one of "no", "on-failure", "always", got "sometimes"/);
  assert.match(one('name = "x"\n[services.web]\nprogram = "/bin/true"\nrestart = "alway"\n', 'services.web.restart').message, /did you mean "always"\?/);
  assert.equal(ManifestError.name, 'ManifestError');
  try {
    parseManifest('name = "x"\n[services.web]\nprogram = "/bin/true"\nrestart = "sometimes"\n', 'img/isokernel.toml');
  } catch (e) {
    assert.match((e as Error).message, /^img\/isokernel\.toml:4:11: services\.web\.restart: expected one of/);
  }
});

test('manifest-unknown-key: misspelt keys get a suggestion, at the key', () => {
  const src = 'name = "x"\n\n[services.web]\nprogram = "/bin/true"\n  restrat = "always"\nlimits = { memroy = "1MiB" }\n';
  const p = one(src, 'services.web.restrat');
  assert.deepEqual([p.line, p.column], [5, 3]);
  assert.match(p.message, /unknown key "restrat" \(did you mean "restart"\?\)/);
  const l = one(src, 'services.web.limits.memroy');
  assert.deepEqual([l.line, l.column], [6, 12]);
  assert.match(l.message, /did you mean "memory"/);
  assert.match(one('nmae = "x"\n', 'nmae').message, /did you mean "name"/);
  assert.match(one('name = "x"\n[sevrices.a]\n', 'sevrices').message, /did you mean "services"/);
  // Far from everything: the list of what is known instead.
  assert.match(one('name = "x"\nzzzzzzzz = 1\n', 'zzzzzzzz').message, /expected one of "name", "version"/);
});

test('manifest-types: wrong types, missing keys, bad units', () => {
  const src = `name = "x"
[services.a]
args = "not-an-array"
env = { 1BAD = "x" }
user = "alice"
stop_signal = "SIGNOPE"
stop_timeout = "ten seconds"
limits = { memory = "lots", open_files = -1 }
[[mounts]]
path = "relative"
type = "tmpfs"
[[mounts]]
path = "/h"
type = "host"
source = "rel/dir"
`;
  const ps = problems(src);
  const by = (path: string): ManifestProblem => ps.find((p) => p.path === path) ?? assert.fail(`no problem at ${path}: ${JSON.stringify(ps)}`);
  assert.match(by('services.a').message, /missing required key "program"/);
  assert.match(by('services.a.args').message, /expected an array of strings, got "not-an-array"/);
  assert.equal(by('services.a.args').line, 3);
  assert.match(by('services.a.env.1BAD').message, /environment variable name/);
  assert.match(by('services.a.user').message, /expected a user: "root", "nobody", "UID" or "UID:GID"/);
  assert.match(by('services.a.stop_signal').message, /signal name/);
  assert.match(by('services.a.stop_timeout').message, /expected a duration such as "30s", "5m", "1h"/);
  assert.match(by('services.a.limits.memory').message, /expected a size such as "10MiB", "1G"/);
  assert.equal(by('services.a.limits.memory').line, 8);
  assert.match(by('services.a.limits.open_files').message, /expected an integer from 0 to/);
  assert.match(by('mounts[0].path').message, /absolute/);
  assert.equal(by('mounts[0].path').line, 10);
  assert.match(by('mounts[1].source').message, /absolute host path/);
  assert.equal(by('mounts[1].source').line, 15);
  // Sorted by position.
  const lines = ps.map((p) => p.line);
  assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
});

test('manifest-mount-reserved: system paths cannot be mounted over; a default host name is made valid', () => {
  for (const at of ['/sbin', '/dev', '/dev/x', '/etc', '/etc/isokernel', '/bin', '/usr/bin/x', '/proc']) {
    assert.match(one(`name = "x"\n[[mounts]]\npath = "${at}"\ntype = "tmpfs"\n`, 'mounts[0].path').message, /is the system's/, at);
  }
  assert.ok(parseManifest('name = "x"\n[[mounts]]\npath = "/etc/myapp"\ntype = "tmpfs"\n').mounts.some((m) => m.path === '/etc/myapp'));
  assert.equal(parseManifest('name = "my_app.v2"\n').hostname, 'my-app.v2');
  assert.match(one('name = "x"\nhostname = "bad_host"\n', 'hostname').message, /expected a host name/);
});

test('manifest-depends: unknown services get a suggestion; cycles are named', () => {
  const src = `name = "x"
[services.database]
program = "/bin/true"
depends_on = ["cache"]
[services.cache]
program = "/bin/true"
depends_on = ["web"]
[services.web]
program = "/bin/true"
depends_on = ["databse", "database"]
`;
  const ps = problems(src);
  const unknown = ps.find((p) => p.path === 'services.web.depends_on[0]')!;
  assert.match(unknown.message, /unknown service "databse" \(did you mean "database"\?\)/);
  assert.deepEqual([unknown.line, unknown.column], [10, 15]);
  const cycle = ps.find((p) => /cycle/.test(p.message))!;
  assert.match(cycle.message, /dependency cycle: (database → cache → web → database|cache → web → database → cache|web → database → cache → web)/);
  assert.match(one('name = "x"\n[services.a]\nprogram = "/bin/true"\ndepends_on = ["a"]\n', 'services.a.depends_on[0]').message, /itself/);
});

test('manifest-cron: schedules checked with croner, five fields or a nickname, zones', () => {
  const base = (s: string, extra = ''): string => `name = "x"\n[cron.job]\nschedule = "${s}"\ncommand = "true"\n${extra}`;
  assert.match(one(base('61 * * * *'), 'cron.job.schedule').message, /Invalid value for minute: 61/);
  assert.match(one(base('* * * *'), 'cron.job.schedule').message, /expected five fields .* got 4/);
  assert.match(one(base('0 * * * * *'), 'cron.job.schedule').message, /got 6/);
  assert.match(one(base('@dialy'), 'cron.job.schedule').message, /did you mean "@daily"/);
  assert.match(one(base('* * * * *', 'timezone = "Mars/Olympus"\n'), 'cron.job.timezone').message, /IANA time zone/);
  assert.match(one('name = "x"\n[cron.job]\nschedule = "@hourly"\n', 'cron.job').message, /missing required key "command"/);
  for (const ok of ['@reboot', '@hourly', '@daily', '@weekly', '@monthly', '@yearly', '*/15 0-6 1,15 * MON-FRI', '0 0 L * *']) {
    assert.equal(checkSchedule(ok), null, ok);
  }
});

test('manifest-logs: rotation and remote validated', () => {
  const src = `name = "x"
[logs.remote]
protocol = "quic"
host = "h"
facility = "locl0"
[logs.files.app]
min_severity = "loud"
rotate = { size = "1Mb", keep = 3, compres = true }
`;
  const ps = problems(src);
  const by = (path: string): string => ps.find((p) => p.path === path)?.message ?? assert.fail(`${path}: ${JSON.stringify(ps)}`);
  assert.match(by('logs.remote.protocol'), /expected one of "udp", "tcp"/);
  assert.match(by('logs.remote.facility'), /did you mean "local0"/);
  assert.match(by('logs.files.app.min_severity'), /expected one of "emerg"/);
  assert.match(by('logs.files.app.rotate.compres'), /did you mean "compress"/);
  // "1Mb" is a valid size (1000^2): no problem there.
  assert.ok(!ps.some((p) => p.path === 'logs.files.app.rotate.size'));
});

test('manifest-program-exists: with an image directory, programs in it must be there', () => {
  const ps = (() => {
    try {
      parseManifest('name = "x"\n[services.a]\nprogram = "bin/missing.wasm"\n', 'isokernel.toml', { imageDir: '/nonexistent-dir' });
    } catch (e) {
      return (e as ManifestError).problems;
    }
    return [];
  })();
  assert.equal(ps.length, 1);
  assert.equal(ps[0]!.path, 'services.a.program');
  assert.equal(ps[0]!.line, 3);
  assert.match(ps[0]!.message, /"\/app\/bin\/missing\.wasm" is not in the image/);
});

test('manifest-units: durations and sizes', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('1d'), 86_400_000);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('30'), null);
  assert.equal(parseDuration('1x'), null);
  assert.equal(parseDuration(''), null);
  assert.equal(parseSize('10MiB'), 10 * 1024 * 1024);
  assert.equal(parseSize('1G'), 1024 ** 3);
  assert.equal(parseSize('1GB'), 1e9);
  assert.equal(parseSize('512k'), 512 * 1024);
  assert.equal(parseSize('100'), 100);
  assert.equal(parseSize('1.5K'), 1536);
  assert.equal(parseSize('10 parsecs'), null);
});

test('toml-positions: keys, tables, arrays of tables, inline tables and arrays, strings', () => {
  const src = `# comment [not.a.table]
a = "x # not a comment"
b.c = 1   # dotted
"quoted.key" = 2
s = """multi
line = "not a key"
"""
[t]
arr = [ 1,
  # inside
  { x = 1, y = [ 'p', "q" ] },
]
[[list]]
k = 1
[[list]]
k = 2
[list.sub]
z = 'lit'
`;
  const w = scanPositions(src);
  const at = (...segs: (string | number)[]): [number, number] => {
    const p = w.get(pathKey(segs))?.key ?? w.get(pathKey(segs))?.value;
    assert.ok(p, `position of ${pathKey(segs)}`);
    return [p.line, p.column];
  };
  assert.deepEqual(at('a'), [2, 1]);
  assert.deepEqual(at('b', 'c'), [3, 1]);
  assert.deepEqual(at('quoted.key'), [4, 1]);
  assert.equal(w.get('line'), undefined); // inside a multi-line string
  assert.deepEqual(at('t', 'arr'), [9, 1]);
  assert.deepEqual(at('t', 'arr', 1, 'x'), [11, 5]);
  assert.deepEqual(at('t', 'arr', 1, 'y', 1), [11, 23]);
  assert.deepEqual(at('list', 0, 'k'), [14, 1]);
  assert.deepEqual(at('list', 1, 'k'), [16, 1]);
  assert.deepEqual(at('list', 1, 'sub', 'z'), [18, 1]);
  assert.equal(pathKey(['services', 'a.b', 'env', 0]), 'services."a.b".env[0]');
});

test('manifest-docs: every TOML example in docs/manifest.md is a valid manifest', async () => {
  const { readFileSync } = await import('node:fs');
  const md = readFileSync(new URL('../../docs/manifest.md', import.meta.url), 'utf8');
  const blocks = [...md.matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 6);
  for (const b of blocks) {
    let src = (b.includes('name =') ? '' : 'name = "x"\n') + b;
    if (b.includes('depends_on = ["db"]')) src += '\n[services.db]\nprogram = "/bin/true"\n';
    assert.doesNotThrow(() => parseManifest(src, 'docs/manifest.md'), b.slice(0, 60));
  }
  // And the demo image's.
  const demo = readFileSync(new URL('../../examples/demo-image/isokernel.toml', import.meta.url), 'utf8');
  const m = parseManifest(demo, 'examples/demo-image/isokernel.toml');
  assert.ok(m.services.some((s) => s.name === 'heartbeat'));
  assert.ok(m.cron.some((j) => j.name === 'clean-tmp' && j.schedule === '* * * * *'));
});

test('manifest-executable: a program in the image without its execute bit is refused', async () => {
  const { mkdtempSync, writeFileSync, rmSync, mkdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'isk-manifest-'));
  try {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'a.wasm'), 'x', { mode: 0o644 });
    writeFileSync(join(dir, 'bin', 'b.wasm'), 'x', { mode: 0o755 });
    writeFileSync(join(dir, 'bin', 'c.ts'), 'x', { mode: 0o644 });
    const src = 'name = "x"\n[services.a]\nprogram = "bin/a.wasm"\n[services.b]\nprogram = "bin/b.wasm"\n[services.c]\nprogram = "bin/c.ts"\n[services.d]\nprogram = "bin"\n';
    let ps: ManifestProblem[] = [];
    try {
      parseManifest(src, 'isokernel.toml', { imageDir: dir });
    } catch (e) {
      ps = (e as ManifestError).problems;
    }
    assert.deepEqual(ps.map((p) => p.path), ['services.a.program', 'services.c.program', 'services.d.program']);
    assert.match(ps[0]!.message, /is not executable \(mode 644; chmod \+x /);
    assert.match(ps[1]!.message, /is not executable/); // JS too: spawn wants the execute bit
    assert.match(ps[2]!.message, /not a regular file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
