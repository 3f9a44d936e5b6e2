// Ends every process the process runtime started under a kubelet data dir: each container's process group and its
// supervisor, found from the runtime's own records (runtime/containers/<id>/started.json); a supervisor is checked to be
// the one recorded (its command line names the container's directory) before it is signalled.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** SIGKILLs the containers (process groups) and supervisors recorded under `kubeletDir`; returns how many groups it found alive. */
export function killRuntimeProcesses(kubeletDir: string): number {
  const containers = join(kubeletDir, 'runtime', 'containers');
  if (!existsSync(containers)) return 0;
  let alive = 0;
  for (const id of readdirSync(containers)) {
    const dir = join(containers, id);
    let started: { pid: number; supervisorPid: number };
    try {
      started = JSON.parse(readFileSync(join(dir, 'started.json'), 'utf8')) as typeof started;
    } catch {
      continue;
    }
    // A group outlives its leader while a member lives on; while it does, its id is not handed out again.
    try {
      process.kill(-started.pid, 'SIGKILL');
      alive++;
    } catch {
      // No member left.
    }
    try {
      if (readFileSync(`/proc/${started.supervisorPid}/cmdline`, 'utf8').split('\0').includes(dir)) process.kill(started.supervisorPid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
  return alive;
}
