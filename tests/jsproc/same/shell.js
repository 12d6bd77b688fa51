// child_process through /bin/sh: execSync, exec, shell: true.
const cp = require('child_process');
console.log(JSON.stringify(cp.execSync('echo one two', { encoding: 'utf8' })));
try { cp.execSync('exit 9', { stdio: 'pipe' }); } catch (e) { console.log('status', e.status); }
console.log(cp.spawnSync('echo "$0:$1"', ['x'], { shell: true, encoding: 'utf8' }).stdout.trim().length > 0);
cp.exec('echo $((6 * 7)); echo oops >&2', (err, so, se) => console.log('exec', err, so.trim(), se.trim()));
