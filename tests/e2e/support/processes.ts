// The processes a test's station started (simulators behind their ptys), found by walking the process tree down
// from the station's own pid, so a fault test kills exactly the one it means and nothing else on the machine.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  args: string;
}

export function descendants(rootPid: number): ProcessInfo[] {
  const all = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const found: ProcessInfo[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const p of all.filter((q) => q.ppid === parent)) {
      found.push(p);
      queue.push(p.pid);
    }
  }
  return found;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 once it has gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return 0;
  }
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU use of a process and everything it started, as a fraction of one core, over `ms` of wall time. */
export async function treeCpuUse(rootPid: number, ms: number): Promise<number> {
  const pids = [rootPid, ...descendants(rootPid).map((p) => p.pid)];
  const before = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  return (after - before) / ((performance.now() - t0) / 1000);
}
