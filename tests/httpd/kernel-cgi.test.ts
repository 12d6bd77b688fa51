// httpd's CGI inside isokernel: the demo image's C programs built for wasm32-wasi (a POST
// form, popen of a shell script), a #!/bin/sh script, a crashing wasm CGI (502 and the
// kernel's fault record), a spinning one (killed at its timeout, 504). Driven without
// sockets: fixtures/cgi-driver.ts runs httpd's dispatch in a JS process of the kernel.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NODE_PROGRAM } from '../../src/kernel/jsproc/program.ts';
import { Kernel } from '../../src/kernel/kernel.ts';
import type { FaultRecord } from '../../src/kernel/proc/fault.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HERE = path.join(ROOT, 'tests/httpd');
const DEMO = path.join(ROOT, 'examples/demo-image');

interface Out {
  status: number;
  headers: [string, string][];
  body: string;
  error: string | null;
  ms: number;
  logs: string[];
}

let kernel: Kernel;
const records: { tag: string; severity: number; msg: string }[] = [];
const faults: FaultRecord[] = [];
const onFault = (m: unknown): void => {
  faults.push(m as FaultRecord);
};

function mkdirs(k: Kernel, dir: string): void {
  let cur = k.ns.root;
  for (const name of dir.split('/').filter(Boolean)) {
    try {
      cur = k.ns.child(cur, name);
    } catch {
      cur = { mount: cur.mount, vnode: cur.vnode.mkdir(name, 0o755) };
    }
  }
}

before(async () => {
  dc.subscribe('isokernel:proc:fault', onFault);
  kernel = await Kernel.boot({});
  kernel.log.sink = (r) => void records.push({ tag: r.tag, severity: r.severity, msg: Buffer.from(r.msg).toString() });
  for (const d of ['userland', 'tests/httpd']) {
    mkdirs(kernel, path.join(ROOT, d));
    kernel.mount(path.join(ROOT, d), { type: 'hostfs', host: path.join(ROOT, d), readOnly: true });
  }
  mkdirs(kernel, '/app');
  kernel.mount('/app', { type: 'hostfs', host: DEMO, readOnly: true });
});

after(() => {
  dc.unsubscribe('isokernel:proc:fault', onFault);
});

async function run(args: string[], reqs: string[]): Promise<Out[]> {
  const p = kernel.spawn({
    program: NODE_PROGRAM, args: ['node', path.join(HERE, 'fixtures/cgi-driver.ts'), JSON.stringify(args), JSON.stringify(reqs)],
    cwd: '/', env: ['PATH=/bin:/usr/bin'], stdio: ['null', 'capture', 'capture'],
  });
  const st = await p.exited;
  const out = p.output(1).toString();
  assert.equal(st.status, 0, `driver failed: ${p.output(2).toString()}\n${out}`);
  return out.trim().split('\n').map((l) => JSON.parse(l) as Out);
}

const ARGS = ['--listen', '8080', '--root', '/app/www', '--cgi-bin', '/cgi-bin=/app/cgi-bin', '--cgi-bin', `/t=${HERE}/bin`, '--cgi-timeout', '2s'];

describe('kernel-cgi', () => {
  it('the demo CGIs: a POST form (C), popen of a shell script (C), a #!/bin/sh script', async () => {
    const form = 'name=Ada+L%C3%B6velace&message=%3Cb%3Ehi%3C%2Fb%3E';
    const [get, post, sysinfo, sh, bad] = await run(ARGS, [
      'GET /cgi-bin/form HTTP/1.1\r\nHost: demo\r\n\r\n',
      `POST /cgi-bin/form HTTP/1.1\r\nHost: demo\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`,
      'GET /cgi-bin/sysinfo?section=uname HTTP/1.1\r\nHost: demo\r\n\r\n',
      'GET /cgi-bin/hello.sh/extra?a=1&b=2 HTTP/1.1\r\nHost: demo\r\n\r\n',
      'GET /cgi-bin/sysinfo?section=rm%20-rf HTTP/1.1\r\nHost: demo\r\n\r\n',
    ]);
    assert.equal(get!.status, 200);
    assert.match(get!.body, /<form method="post" action="\/cgi-bin\/form">/);
    assert.equal(post!.status, 200, JSON.stringify(post));
    assert.match(post!.body, /<dt>name<\/dt><dd>Ada L\xc3\xb6velace<\/dd>/);
    assert.match(post!.body, /<dd>&lt;b&gt;hi&lt;\/b&gt;<\/dd>/);
    assert.equal(sysinfo!.status, 200, JSON.stringify(sysinfo));
    assert.match(sysinfo!.body, /== uname\nisokernel /);
    assert.equal(sh!.status, 200, JSON.stringify(sh));
    assert.match(sh!.body, /method=GET script=\/cgi-bin\/hello\.sh path_info=\/extra/);
    assert.match(sh!.body, /client=10\.0\.0\.9:4242/);
    assert.match(sh!.body, / {2}a=1\n {2}b=2/);
    assert.equal(bad!.status, 400);
  });
  it('CGI stderr goes to the kernel log (tag httpd-cgi, severity err)', async () => {
    const [r] = await run(ARGS, ['GET /cgi-bin/sysinfo?section=nosuch HTTP/1.1\r\nHost: x\r\n\r\n']);
    assert.equal(r!.status, 500);
    assert.match(r!.body, /failed \(exit 2\)/);
    const mine = records.filter((x) => x.tag === 'httpd-cgi');
    assert.ok(mine.some((x) => /unknown section: nosuch/.test(x.msg)), JSON.stringify(records));
    assert.ok(mine.some((x) => /sysinfo: \/bin\/sh \/app\/scripts\/sysinfo\.sh nosuch: exit 2/.test(x.msg)), JSON.stringify(records));
    assert.ok(mine.every((x) => x.severity === 3));
  });
  it('a crashing CGI: 502, and the kernel wrote a fault record for it', async () => {
    const [r] = await run(ARGS, ['GET /t/crash HTTP/1.1\r\nHost: x\r\n\r\n']);
    assert.equal(r!.status, 502);
    const line = r!.logs.find((l) => /CGI \/t\/crash \(pid \d+\): killed by SIGSEGV/.test(l));
    assert.ok(line, r!.logs.join('\n'));
    const pid = Number(/pid (\d+)/.exec(line)![1]);
    const f = faults.find((x) => x.pid === pid);
    assert.ok(f, `no fault record for pid ${pid}`);
    assert.equal(f.signalName, 'SIGSEGV');
  });
  it('a spinning CGI is killed at --cgi-timeout: 504', async () => {
    const t0 = Date.now();
    const [r] = await run(ARGS, ['GET /t/loop HTTP/1.1\r\nHost: x\r\n\r\n']);
    assert.equal(r!.status, 504);
    assert.ok(r!.ms >= 1900 && r!.ms < 15_000, `${r!.ms} ms`);
    assert.ok(r!.logs.some((l) => /killed after 2000 ms/.test(l)));
    assert.ok(Date.now() - t0 < 30_000);
    // No process of the group is left.
    assert.ok(![...kernel.procs.values()].some((p) => /loop/.test(p.argv[0] ?? '') && !p.exitStatus), 'the loop is gone');
  });
});
