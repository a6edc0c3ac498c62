/**
 * Resident memory and CPU time of a process and its descendants, read from /proc (Linux), with
 * `ps` as the fallback elsewhere. The proxy is measured as a tree because a launcher (tsx, npm)
 * may sit between the command users run and the process that serves.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const MB = 1024 * 1024;
const hasProc = (() => {
  try {
    readFileSync('/proc/self/status');
    return true;
  } catch {
    return false;
  }
})();

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The process and all its descendants (Linux: /proc/PID/task/TID/children). */
export function processTree(pid: number): number[] {
  if (!hasProc) return [pid];
  const out: number[] = [];
  const visit = (p: number) => {
    out.push(p);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      let children: string;
      try {
        children = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(' ')) if (child.trim()) visit(Number(child));
    }
  };
  visit(pid);
  return out;
}

/** Resident set size of one process in bytes (0 once it has exited). */
export function rssBytes(pid: number): number {
  if (hasProc) {
    try {
      const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  }
  try {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
  } catch {
    return 0;
  }
}

/** User + system CPU time of one process in milliseconds (0 where /proc is missing). */
export function cpuMs(pid: number): number {
  if (!hasProc) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

export interface TreeStats {
  rssMB: number;
  cpuMs: number;
  /** The process that holds most memory: the one really serving when a launcher is in front. */
  mainPid: number;
  processes: number;
}

export function treeStats(pid: number): TreeStats {
  let rss = 0;
  let cpu = 0;
  let mainPid = pid;
  let biggest = -1;
  const pids = processTree(pid);
  for (const p of pids) {
    const r = rssBytes(p);
    rss += r;
    cpu += cpuMs(p);
    if (r > biggest) {
      biggest = r;
      mainPid = p;
    }
  }
  return { rssMB: rss / MB, cpuMs: cpu, mainPid, processes: pids.length };
}

/** Samples a process tree's RSS on an interval and keeps the peak. */
export class RssSampler {
  peakMB = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pid: number) {}

  sample(): number {
    const { rssMB } = treeStats(this.pid);
    if (rssMB > this.peakMB) this.peakMB = rssMB;
    return rssMB;
  }

  start(intervalMs = 100): void {
    this.stop();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
