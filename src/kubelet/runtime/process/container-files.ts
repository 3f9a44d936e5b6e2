import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a container's supervisor runs (`spec.json` in the container's directory). */
export interface SupervisorSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  logPath: string;
}

/** Written by the supervisor once the process runs (`started.json`). */
export interface StartedRecord {
  pid: number;
  supervisorPid: number;
  startedAt: number;
}

/** Written by the supervisor once the process ended (`exit.json`); reason `StartError` when it never ran. */
export interface ExitRecord {
  exitCode: number;
  signal?: string;
  finishedAt: number;
  reason: string;
  message?: string;
}

export const containerFiles = (dir: string) => ({
  config: join(dir, 'config.json'),
  spec: join(dir, 'spec.json'),
  started: join(dir, 'started.json'),
  exit: join(dir, 'exit.json'),
  supervisorLog: join(dir, 'supervisor.log'),
});

/** Writes JSON so that a reader sees the old file or the whole new one. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

export function readJsonFile<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
