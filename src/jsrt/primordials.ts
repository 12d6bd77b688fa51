// What the runtime takes from the isolate before any program code runs (Node's "primordials"
// idea): the functions its security-relevant checks call, so that a program that replaces
// a global or a prototype method cannot change what those checks do. The runtime is not a
// trust boundary (the kernel checks every call and every message; docs/jsproc.md), but the
// gate to the worker's own Node built-ins is: it must answer only for the allowed names.
const realProcess = process;

export const primordials = Object.freeze({
  hasOwn: Object.hasOwn,
  freeze: Object.freeze,
  defineProperty: Object.defineProperty,
  getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  getOwnPropertyNames: Object.getOwnPropertyNames,
  reflectApply: Reflect.apply,
  threadCpuUsage: realProcess.threadCpuUsage.bind(realProcess),
  hrtimeBigint: realProcess.hrtime.bigint.bind(realProcess.hrtime),
  memoryUsage: realProcess.memoryUsage.bind(realProcess),
  performanceNow: performance.now.bind(performance),
  /**
   * The worker's own Node built-ins. Only builtins.ts calls this, and only for names on its
   * allow-list; it is taken here because main.ts removes process.getBuiltinModule.
   */
  getBuiltin: realProcess.getBuiltinModule.bind(realProcess) as (name: string) => unknown,
});

/** The worker's real `process` object, which main.ts prunes and then completes. */
export const hostProcess = realProcess;
