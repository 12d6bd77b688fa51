// The runtime's entry, in a freshly booted worker (bootstrap.mjs links it): closes the
// isolate off from the host, completes `process`, then waits for its job — the process it
// is to be — and runs that process's program (docs/jsproc.md).
import { Writable } from 'node:stream';
import { format } from 'node:util';
import { parentPort } from 'node:worker_threads';
import type { JsJob, ToWorker } from '../kernel/jsproc/protocol.ts';
import { initLanes, laneAnswer } from './lanes.ts';
import { runMain, resolveMain, type MainSpec } from './loader.ts';
import { deliverSignal, installProcess, startProcess } from './node/process.ts';
import { registerBuiltins } from './node/register.ts';
import { installMemoryGuard, setMemoryLimit } from './memguard.ts';
import { seal } from './sandbox.ts';
import * as sys from './sys.ts';

const port = parentPort!;
seal();
installMemoryGuard(); // allocations outside the V8 heap checked against the memory limit (memguard.ts)
installProcess();
registerBuiltins();
// Compiled now, while the worker waits in the pool, rather than in the first program's time:
// what nearly every program reaches (console's formatting, a stream write, a module compile).
format('%s %d %j %o', 'warm', 1, { a: [1] }, new Map([[1, 2]]));
new Writable({ write: (_c, _e, cb) => cb() }).end('warm');

let started = false;

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'job':
      if (!started) {
        started = true;
        start(m);
      }
      return;
    case 'signal':
      if (started) deliverSignal(m.sig);
      return;
    case 'lane-ok':
      return laneAnswer(m.id, true);
    case 'lane-refused':
      return laneAnswer(m.id, false);
  }
});
port.postMessage({ type: 'ready' });

/** `node [OPTIONS] [SCRIPT | -e CODE | -p CODE] [ARGS...]`: what to run. Other options are ignored. */
function parseNodeArgs(argv: readonly string[]): { spec: MainSpec | 'stdin'; args: string[] } {
  let i = 1;
  let inline: { source: string; print: boolean } | null = null;
  let esm = false;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') {
      inline = { source: argv[++i] ?? '', print: a === '-p' || a === '--print' };
    } else if (a.startsWith('--eval=') || a.startsWith('--print=')) {
      inline = { source: a.slice(a.indexOf('=') + 1), print: a.startsWith('--print=') };
    } else if (a === '--input-type=module') esm = true;
    else if (a === '-r' || a === '--require' || a === '--import' || a === '--env-file') i++;
  }
  if (inline) {
    return { spec: { file: `${sys.currentCwd()}/[eval]`, inline: { ...inline, esm } }, args: argv.slice(i) as string[] };
  }
  const script = argv[i];
  if (script === undefined || script === '-') return { spec: 'stdin', args: argv.slice(i + 1) as string[] };
  return { spec: { file: resolveMain(script) }, args: argv.slice(i + 1) as string[] };
}

function start(job: JsJob): void {
  setMemoryLimit(job.heapMb * 1048576);
  initLanes(job, port);
  port.unref();
  if (job.main) {
    startProcess(job, job.main.path);
    runMain({ file: job.main.path, source: job.main.source });
    return;
  }
  startProcess(job, null);
  const { spec, args } = parseNodeArgs(job.argv);
  if (spec === 'stdin') {
    const source = sys.readAll(0).toString('utf8');
    (process as { argv: string[] }).argv = ['/bin/node', ...args];
    runMain({ file: `${sys.currentCwd()}/[stdin]`, inline: { source, esm: false, print: false } });
    return;
  }
  (process as { argv: string[] }).argv = spec.inline ? ['/bin/node', ...args] : ['/bin/node', spec.file, ...args];
  runMain(spec);
}
