// crond: runs the manifest's cron jobs (docs/services.md, "Cron"). Started by init when the
// manifest has jobs; reads /etc/isokernel/manifest.json (or argv[2]).
//
// Schedules are croner's (npm `croner`, bundled into crond.mjs by build.sh: /sbin has no
// node_modules): five fields, @hourly @daily @weekly @monthly @yearly, in the job's time
// zone; @reboot runs once when crond starts (each boot of the image). A six-field schedule
// (seconds first) is accepted here for tests; the TOML manifest allows five fields only.
// Each run is `/bin/sh -c COMMAND` as the job's uid and gid, in a session of its own, with
// stdout and stderr on log streams tagged with the job's name; crond logs its start, end
// and exit status. A run that comes while the previous one still runs is skipped (logged)
// unless the job allows overlap. Runs missed while the image was down are not made up.
// SIGTERM: no new runs; running jobs get SIGTERM, SIGKILL 3 s later; crond exits.
import { Cron } from 'croner';
import isk from 'isokernel';
import { readFileSync } from 'node:fs';
import type { CronJob, Manifest } from '../../src/image/manifest-types.ts';
import { closeStreams, describeExit, Logger, openStreams, SEV } from './initlib/log.ts';
import { Reaper } from './initlib/reaper.ts';

const MANIFEST = '/etc/isokernel/manifest.json';
const KILL_AFTER_MS = 3000;
const log = new Logger('crond', { sync: true });
const reaper = new Reaper({ orphans: false });
reaper.onError = (e) => log.error(`wait: ${e.message}`);

interface Job {
  spec: CronJob;
  cron: Cron | null;
  running: Set<number>;
}
const jobs: Job[] = [];
let stopping = false;

function run(job: Job, why: string): void {
  if (stopping) return;
  const name = job.spec.name;
  if (job.running.size > 0 && !job.spec.overlap) {
    log.warn(`job ${name}: ${why} run skipped: the previous run (pid ${[...job.running].join(', ')}) is still running`);
    return;
  }
  // Logged before the spawn: the job starts running at once, and its first output could
  // otherwise reach the log before a line written after spawn() returns.
  log.info(`job ${name}: starting (${why})`);
  const streams = openStreams(name);
  let pid: number;
  try {
    pid = isk.spawn('/bin/sh', ['sh', '-c', job.spec.command], {
      env: { PATH: '/bin:/usr/bin:/sbin', HOME: '/', SHELL: '/bin/sh', LOGNAME: name, CRON_JOB: name },
      cwd: '/', setsid: true, uid: job.spec.uid, gid: job.spec.gid,
      fds: streams ? { 0: 'null', 1: streams.out, 2: streams.err } : { 0: 'null' },
    });
  } catch (e) {
    log.error(`job ${name}: cannot start /bin/sh: ${(e as Error).message}`);
    return;
  } finally {
    closeStreams(streams);
  }
  const t0 = Date.now();
  job.running.add(pid);
  log.info(`job ${name}: started (pid ${pid}, ${why})`);
  reaper.watch(pid, (w) => {
    job.running.delete(pid);
    const failed = w.code !== 0;
    log.log(failed ? SEV.err : SEV.info, `job ${name}: ended (pid ${pid}) ${describeExit(w)} after ${Date.now() - t0} ms`);
    if (stopping && jobs.every((j) => j.running.size === 0)) void log.flush().then(() => process.exit(0));
  });
}

function load(): Manifest | null {
  const file = process.argv[2] ?? MANIFEST;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    log.error(`cannot read the manifest ${file}: ${(e as Error).message}`);
    return null;
  }
}

const manifest = load();
/** Zone names that are UTC itself. */
const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Etc/Zulu', 'Zulu']);

reaper.start();
for (const spec of manifest?.cron ?? []) {
  const job: Job = { spec, cron: null, running: new Set() };
  if (spec.schedule.trim() === '@reboot') {
    jobs.push(job);
    continue;
  }
  try {
    // UTC as an offset of 0: croner then works with Date's UTC methods. A zone name makes it
    // build an Intl.DateTimeFormat, 30-50 ms of ICU set-up in a fresh isolate, on the boot's
    // path (same runs: no daylight saving in UTC).
    const tz = spec.timezone || 'UTC';
    const zone = UTC_ZONES.has(tz) ? { utcOffset: 0 } : { timezone: tz };
    job.cron = new Cron(spec.schedule, { name: spec.name, ...zone, mode: '5-or-6-parts' }, () => run(job, 'scheduled'));
    jobs.push(job);
    const next = job.cron.nextRun();
    log.info(`job ${spec.name}: "${spec.schedule}" (${spec.timezone || 'UTC'}), next run ${next ? next.toISOString() : 'never'}`);
  } catch (e) {
    log.error(`job ${spec.name}: bad schedule "${spec.schedule}": ${(e as Error).message}; not scheduled`);
  }
}
for (const job of jobs) if (!job.cron) run(job, '@reboot');
if (jobs.length === 0) log.notice('no jobs to run');
// crond runs until it is stopped, jobs or not (init restarts it if it ends).
const keepAlive = setInterval(() => {}, 1 << 30);

function stop(sig: string): void {
  if (stopping) return;
  stopping = true;
  clearInterval(keepAlive);
  for (const j of jobs) j.cron?.stop();
  const running = jobs.flatMap((j) => [...j.running]);
  log.notice(`${sig}: stopping${running.length ? `; ending ${running.length} running job${running.length > 1 ? 's' : ''}` : ''}`);
  if (running.length === 0) {
    void log.flush().then(() => process.exit(0));
    return;
  }
  const kill = (s: number): void => {
    for (const pid of running) {
      try {
        isk.kill(-pid, s);
      } catch { /* ended */ }
    }
  };
  kill(isk.signals.TERM);
  setTimeout(() => kill(isk.signals.KILL), KILL_AFTER_MS);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
