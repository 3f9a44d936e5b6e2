// The supervisor of one container (run as `node supervisor.js <container dir>`, detached from the kubelet so that it
// outlives it): starts the container's process in a process group of its own, writes its stdout and stderr to the CRI
// log, and records how it started (started.json) and how it ended (exit.json). It prints one JSON line on stdout
// (the StartedRecord, or `{"error":…}`) for the runtime that is waiting, then nothing more.
import { spawn } from 'node:child_process';
import { appendFileSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { CriLogWriter } from '../cri-log.js';
import { containerFiles, type ExitRecord, readJsonFile, type StartedRecord, type SupervisorSpec, writeJsonAtomic } from './container-files.js';

const dir = process.argv[2] ?? '';
const files = containerFiles(dir);
const log = (m: string) => appendFileSync(files.supervisorLog, `${new Date().toISOString()} ${m}\n`);
let reported = false;
const report = (value: unknown) => {
  if (reported) return;
  reported = true;
  process.stdout.write(`${JSON.stringify(value)}\n`, () => process.stdout.destroy());
};
const finish = (record: ExitRecord) => {
  writeJsonAtomic(files.exit, record);
  log(`exited: ${JSON.stringify(record)}`);
  if (record.reason === 'StartError') report({ error: record.message });
  process.exitCode = 0;
};

// The kubelet's signals are not ours: this process ends when the container does.
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(s, () => log(`ignored ${s}`));

let childPid: number | undefined;
// A supervisor that fails takes its container with it rather than leave a process nobody watches.
process.on('uncaughtException', (err) => {
  try {
    log(`supervisor failed: ${err.stack ?? err.message}`);
    if (childPid !== undefined) process.kill(-childPid, 'SIGKILL');
    writeJsonAtomic(files.exit, { exitCode: 137, signal: 'SIGKILL', finishedAt: Date.now(), reason: 'Error', message: `the container's supervisor failed: ${err.message}` } satisfies ExitRecord);
  } finally {
    process.exit(1);
  }
});

function run(): void {
  const spec = readJsonFile<SupervisorSpec>(files.spec);
  if (!spec || spec.argv.length === 0) return finish({ exitCode: 128, finishedAt: Date.now(), reason: 'StartError', message: `no container spec in ${dir}` });
  try {
    if (!statSync(spec.cwd).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    return finish({ exitCode: 128, finishedAt: Date.now(), reason: 'StartError', message: `chdir ${spec.cwd}: ${(err as Error).message}` });
  }
  const stdout = new CriLogWriter(spec.logPath, 'stdout');
  const stderr = new CriLogWriter(spec.logPath, 'stderr');
  const child = spawn(spec.argv[0]!, spec.argv.slice(1), { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.once('error', (err: NodeJS.ErrnoException) => {
    const message = err.code === 'ENOENT' ? `exec: "${spec.argv[0]}": executable file not found in $PATH` : `exec: "${spec.argv[0]}": ${err.message}`;
    finish({ exitCode: 128, finishedAt: Date.now(), reason: 'StartError', message });
  });
  if (child.pid === undefined) return;
  childPid = child.pid;
  const started: StartedRecord = { pid: child.pid, supervisorPid: process.pid, startedAt: Date.now() };
  writeJsonAtomic(files.started, started);
  report(started);
  child.stdout.on('data', (d: Buffer) => stdout.write(d));
  child.stderr.on('data', (d: Buffer) => stderr.write(d));
  let ended: ExitRecord | undefined;
  const done = () => {
    if (!ended) return;
    stdout.flush();
    stderr.flush();
    finish(ended);
    ended = undefined;
    child.stdout.destroy();
    child.stderr.destroy();
  };
  child.once('exit', (code, signal) => {
    const signo = signal ? (constants.signals[signal] ?? 0) : 0;
    const exitCode = code ?? 128 + signo;
    ended = { exitCode, ...(signal ? { signal } : {}), finishedAt: Date.now(), reason: exitCode === 0 ? 'Completed' : 'Error' };
    // Output still in the pipes is logged first; a descendant that keeps them open does not hold the record back.
    setTimeout(done, 1000).unref();
  });
  child.once('close', () => done());
}

run();
