// The isokernel module: descriptors, pipes, spawn, wait, kill, signals, time; sync and promise forms.
const isk = require('isokernel');
const assert = require('assert');
console.log(isk.getpid() === process.pid, isk.getppid() === process.ppid, isk.args.slice(1).join(' '));
const t0 = isk.time();
isk.sleep(20);
console.log('slept', isk.time() - t0 >= 20_000_000n, typeof isk.time('realtime'));
const [r, w] = isk.pipe({ cloexec: true });
isk.write(w, 'through a pipe');
console.log(Buffer.from(isk.read(r, 100)).toString());
isk.writeFile('/tmp/isk.txt', 'file data');
console.log(Buffer.from(isk.readFile('/tmp/isk.txt')).toString(), isk.stat('/tmp/isk.txt').size, isk.stat('/tmp').type);
console.log(isk.readdir('/tmp').map((e) => e.name).includes('isk.txt'));
try { isk.open('/nope/x'); } catch (e) { console.log(e.code, e.syscall); }
const pid = isk.spawn('node', ['node', '-e', 'process.exit(6)'], { search: true });
const st = isk.wait(pid);
console.log(st.pid === pid, st.code, st.signal);
const sleeper = isk.spawn('node', ['node', '-e', 'setTimeout(() => {}, 10000)'], { search: true });
isk.kill(sleeper, 'SIGKILL');
console.log(isk.wait(sleeper).signal);
(async () => {
  const [r2, w2] = isk.pipe({ cloexec: true });
  const child = await isk.promises.spawn('node', ['node', '-e', 'setTimeout(() => console.log("late"), 50)'], { search: true, fds: { 1: w2 } });
  isk.close(w2);
  const got = await isk.promises.read(r2, 100);
  console.log('async read', JSON.stringify(Buffer.from(got).toString()));
  const done = await isk.promises.wait(child);
  console.log('async wait', done.code);
  await isk.promises.sleep(10);
  isk.signal('SIGUSR1', (name) => console.log('handler', name));
  isk.raise('SIGUSR1');
  setTimeout(() => console.log('uname', isk.uname().sysname), 20);
})();
