// child_process with node children: the sync forms, the async ones, exit codes and signals.
const cp = require('child_process');
const r = cp.spawnSync('node', ['-e', 'console.log("out", process.argv.slice(1)); console.error("err"); process.exit(4)', 'a1'], { encoding: 'utf8' });
console.log(r.status, r.signal, JSON.stringify(r.stdout), JSON.stringify(r.stderr));
console.log(JSON.stringify(cp.execFileSync('node', ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'fed', encoding: 'utf8' })));
try { cp.execFileSync('node', ['-e', 'process.exitCode = 9'], { stdio: 'pipe' }); } catch (e) { console.log('status', e.status); }
const k = cp.spawnSync('node', ['-e', 'process.kill(process.pid, "SIGTERM"); setTimeout(() => {}, 5000)']);
console.log('killed', k.status, k.signal);
const c = cp.spawn('node', ['-e', 'let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => { console.log(s.toUpperCase()); process.exitCode = 2; })']);
let got = '';
c.stdout.on('data', (d) => { got += d; });
c.on('exit', (code, sig) => console.log('exit', code, sig));
c.on('close', (code) => {
  console.log('close', code, JSON.stringify(got));
  cp.execFile('node', ['-e', 'console.log(6 * 7)'], (err, so) => console.log('execFile', err, so.trim()));
});
c.stdin.write('streamed ');
c.stdin.end('input');
