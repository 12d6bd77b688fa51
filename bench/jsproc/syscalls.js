// Runs inside isokernel as a JS process (bench/jsproc.ts): the cost of a system call from
// JavaScript, synchronous (lane 0, Atomics.wait) and promise form (an async lane,
// Atomics.waitAsync), timed as measure.h times C loops: grow n until a run takes >= 20 ms,
// scale it to ~200 ms, 5 runs, the median ns per call. Prints `NAME VALUE` lines.
const isk = require('isokernel');

function measureSync(fn) {
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const dt = Number(process.hrtime.bigint() - t0);
    if (dt >= 20e6) {
      n = Math.max(1, Math.round((n * 200e6) / dt));
      break;
    }
    n *= 4;
  }
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    runs.push(Number(process.hrtime.bigint() - t0) / n);
  }
  return runs.sort((a, b) => a - b)[2];
}

async function measureAsync(fn) {
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    const dt = Number(process.hrtime.bigint() - t0);
    if (dt >= 20e6) {
      n = Math.max(1, Math.round((n * 200e6) / dt));
      break;
    }
    n *= 4;
  }
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    runs.push(Number(process.hrtime.bigint() - t0) / n);
  }
  return runs.sort((a, b) => a - b)[2];
}

(async () => {
  const fd = isk.open('/dev/null', 'w');
  const one = new Uint8Array(1);
  const report = (name, v) => process.stdout.write(`${name} ${v.toFixed(2)}\n`);
  report('js_sync_null', measureSync(() => isk.getppid()));
  report('js_sync_write', measureSync(() => isk.write(fd, one)));
  report('js_async_write', await measureAsync(() => isk.promises.write(fd, one)));
  const fs = require('fs');
  report('js_fs_writesync', measureSync(() => fs.writeSync(fd, one)));
})();
