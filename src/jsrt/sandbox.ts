// Closing the isolate off from the host: what main.ts does at boot, before any program code
// runs (docs/jsproc.md, "Threat model"). A worker is a Node environment: its global object
// and its `process` hold ways out (process.binding reaches every native binding, dlopen
// loads native code, abort() aborts the whole host process, _kill signals host processes,
// fetch opens host sockets, BroadcastChannel talks to other isolates, ...). Each is removed
// outright: nothing the runtime keeps refers to it afterwards, so no trick with prototypes
// can bring it back. What replaces them (process.kill, stdio, env, ...) goes through system
// calls (process.ts).
import { hostAccessError } from './errors.ts';
import { hostProcess } from './primordials.ts';

/** Globals that reach the network, other isolates or host-wide registries. */
const GLOBALS_REMOVED = [
  'fetch', 'WebSocket', 'EventSource', 'BroadcastChannel', 'navigator', 'Navigator', 'localStorage',
  'sessionStorage', 'Storage',
];

/** process members that reach the host; each becomes a function that throws a clear error (or is deleted). */
const PROCESS_REFUSED: Record<string, string> = {
  binding: 'process.binding()',
  _linkedBinding: 'process._linkedBinding()',
  dlopen: 'process.dlopen() (native addons)',
  execve: 'process.execve()',
  _kill: 'process._kill()',
  loadEnvFile: 'process.loadEnvFile() of a host file',
  setSourceMapsEnabled: 'process.setSourceMapsEnabled() (source maps are read from host files)',
};
const PROCESS_DELETED = [
  'report', 'openStdin', '_rawDebug', 'initgroups', 'setgroups', 'setegid', 'seteuid', 'setgid', 'setuid',
  '_debugProcess', '_debugEnd', '_startProfilerIdleNotifier', '_stopProfilerIdleNotifier', 'getBuiltinModule',
  'abort', 'kill', 'chdir', 'cwd', 'umask', 'env', 'argv', 'execArgv', 'execPath', 'title', 'stdout', 'stderr',
  'stdin', 'cpuUsage', 'resourceUsage', 'memoryUsage', 'constrainedMemory', 'availableMemory', 'uptime',
  'getuid', 'geteuid', 'getgid', 'getegid', 'getgroups', 'moduleLoadList', 'pid', 'ppid', 'platform',
];

export function seal(): void {
  const g = globalThis as Record<string, unknown>;
  for (const name of GLOBALS_REMOVED) delete g[name];
  // Blob URLs live in a registry of the whole host process, shared by every isolate.
  const U = URL as unknown as Record<string, unknown>;
  delete U.createObjectURL;
  delete U.revokeObjectURL;

  const p = hostProcess as unknown as Record<string, unknown>;
  for (const [name, what] of Object.entries(PROCESS_REFUSED)) {
    delete p[name];
    Object.defineProperty(p, name, {
      value: function refused(): never {
        throw hostAccessError(what);
      },
      writable: true, configurable: true, enumerable: false,
    });
  }
  for (const name of PROCESS_DELETED) delete p[name];
  // The ones process.ts puts back (system calls) are defined there; these stay missing.
}
