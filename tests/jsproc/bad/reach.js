// Every way out to the host it tries must fail with a clear error.
const tries = {
  tls: () => require('tls'), 'node:vm': () => require('node:vm'), worker_threads: () => require('worker_threads'),
  inspector: () => require('inspector'), v8: () => require('v8'), wasi: () => require('wasi'),
  'process.binding': () => process.binding('fs'), 'process._linkedBinding': () => process._linkedBinding('x'),
  'process.dlopen': () => process.dlopen({}, '/lib/x.node'), addon: () => require('./addon.node'),
  'process.execve': () => process.execve('/bin/sh'), 'process._kill': () => process._kill(1, 9),
  eval: () => eval('1 + 1'), Function: () => new Function('return 1')(), 'import(vm)': null,
};
for (const [name, f] of Object.entries(tries)) {
  if (!f) continue;
  try {
    f();
    console.log(name, 'REACHED');
  } catch (e) {
    console.log(name, e.code ?? e.name);
  }
}
console.log('globals', typeof fetch, typeof WebSocket, typeof BroadcastChannel, typeof navigator, typeof localStorage,
  typeof process.getBuiltinModule, typeof process.report, typeof process.abort === 'function' ? undefined : 'no abort');
console.log('host env', Object.keys(process.env).join(','));
import('node:vm').then(() => console.log('import(vm) REACHED'), (e) => console.log('import(vm)', e.code));
