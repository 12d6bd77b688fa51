// top on a real terminal (issue 8, item 4): `isokernel run` of a shell that starts two
// sleepers and top, in a tmux pane; the captured screen shows the header and the processes;
// M re-sorts at once (the kernel's raw mode: no Enter), q quits. Skips without tmux.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { ROOT } from './harness.ts';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SESSION = `acct-top-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: (s: string) => boolean, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  let s = '';
  while (Date.now() < end) {
    s = screen();
    if (ok(s)) return s;
    await sleep(200);
  }
  assert.fail(`${what}; the screen:\n${s}`);
}

describe('top-tmux', { skip: hasTmux ? false : 'tmux is not installed (apt-get install tmux)' }, () => {
  after(() => {
    spawnSync('tmux', ['kill-session', '-t', SESSION]);
  });

  it('top-tmux-screen: the full screen shows the processes, M sorts, q quits', async () => {
    const node = process.execPath;
    const cmd = `${node} ${ROOT}src/cli/main.ts run ${ROOT}userland/bin/sh -c 'sleep 60 & sleep 61 & PATH=/bin top -d 0.5'; echo TOP-EXIT=$?; sleep 60`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '30', cmd);
    const s = await until('top draws its screen', (x) => /PID USER/.test(x) && /sleep/.test(x));
    const lines = s.split('\n');
    assert.match(lines[0]!, /^top - \d\d:\d\d:\d\d up .* load average: /);
    assert.match(lines[1]!, /^Tasks: +[45] total, +[1-9]\d* running/); // sh, two sleeps, top (the shell may be waiting)
    assert.match(s, /^MiB Mem :/m);
    const procs = lines.filter((l) => /^ +\d+ root /.test(l));
    assert.ok(procs.filter((l) => l.endsWith(' sleep')).length === 2, s);
    assert.ok(procs.some((l) => l.endsWith(' node')), s);
    // M: by memory, at once (raw mode): the shell (the largest memory) comes first.
    tmux('send-keys', '-t', SESSION, 'M');
    await until('M sorts by memory', (x) => {
      const first = x.split('\n').find((l) => /^ +\d+ root /.test(l));
      return first !== undefined && / (sh|node)$/.test(first) && !/RSS/.test(first);
    });
    tmux('send-keys', '-t', SESSION, 'q');
    const end = await until('q quits', (x) => /TOP-EXIT=0/.test(x));
    assert.doesNotMatch(end, /PID USER/); // the alternate screen is gone
  });
});
