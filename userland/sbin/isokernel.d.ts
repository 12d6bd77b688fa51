// Types for the `isokernel` module as the programs in /sbin import it (`import isk from
// 'isokernel'`): the runtime's own object (src/jsrt/isokernel.ts). Only for type checking
// (`tsc -p userland/sbin`); at run time the JS runtime provides the module.
declare module 'isokernel' {
  const isk: typeof import('../../src/jsrt/isokernel.ts').isokernel;
  export default isk;
}
