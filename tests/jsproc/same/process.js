// process: argv, env, exit code and 'exit', hrtime, memoryUsage, cwd/chdir, signals to itself.
console.log(process.argv.slice(2), process.argv.length, typeof process.argv[0], typeof process.execPath);
console.log(process.env.GREETING, 'GREETING' in process.env, process.env.NOPE === undefined);
process.env.NUM = 42;
console.log(typeof process.env.NUM, process.env.NUM);
console.log(typeof process.pid, process.pid > 0, typeof process.ppid, process.platform, typeof process.version);
const t = process.hrtime.bigint();
console.log(typeof t, Array.isArray(process.hrtime()), process.hrtime(process.hrtime())[0]);
const m = process.memoryUsage();
console.log(Object.keys(m).sort().join(','), m.heapUsed > 0, typeof process.uptime(), typeof process.cpuUsage().user);
const start = process.cwd();
process.chdir(process.env.WORK);
console.log(process.cwd() === process.env.WORK.replace(/\/$/, ''));
try { process.chdir('/definitely/not/here'); } catch (e) { console.log(e.code, e.syscall); }
process.chdir(start);
console.log(process.cwd() === start, typeof process.umask());
process.on('SIGUSR2', (name, num) => {
  console.log('caught', name, num);
  process.exitCode = 3;
});
process.kill(process.pid, 'SIGUSR2');
process.on('beforeExit', () => console.log('beforeExit'));
process.on('exit', (code) => console.log('exit', code));
try { process.kill(process.pid, 'SIGNOPE'); } catch (e) { console.log(e.code); }
setTimeout(() => console.log('timer ran'), 30);
