/**
 * Other work on the machine spoils a measurement (tests of other people, a vacuum): this waits for
 * the machine to be quiet before a run, and measures from /proc how much CPU processes that are
 * not part of the bench used during it, so a disturbed result says so instead of passing as real.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Jiffies (1/100 s) all cores spent, busy and in total, since boot: the first line of /proc/stat. */
function cpuTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((s, x) => s + x, 0);
  return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total }; // minus idle and iowait
}

/** Share (0–1) of all cores busy over `ms`, machine-wide. */
export async function machineBusy(ms = 1000): Promise<number> {
  const a = cpuTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuTicks();
  return b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0;
}

/**
 * Waits until less than `threshold` of the machine is busy (our processes are idle between runs),
 * for at most `maxSeconds`; returns the last busy share seen.
 * @example const busy = await waitForQuiet({ maxSeconds: 60, log });
 */
export async function waitForQuiet(options: {
  maxSeconds: number;
  threshold?: number;
  log: (line: string) => void;
}): Promise<number> {
  const threshold = options.threshold ?? 0.1;
  const deadline = Date.now() + options.maxSeconds * 1000;
  let busy = await machineBusy();
  let said = false;
  while (busy >= threshold && Date.now() < deadline) {
    if (!said) options.log(`  waiting for a quiet machine (${pct(busy)} of the CPU is busy with other work)`);
    said = true;
    busy = await machineBusy(2000);
  }
  if (busy >= threshold) options.log(`  the machine is still ${pct(busy)} busy: going on, the result will be marked`);
  return busy;
}

interface ProcessInfo {
  ppid: number;
  ticks: number;
  name: string;
}

function snapshot(): Map<number, ProcessInfo> {
  const result = new Map<number, ProcessInfo>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name is in parentheses and may contain spaces; the fields follow the last ')'.
      const close = stat.lastIndexOf(')');
      const f = stat.slice(close + 2).split(' ');
      const ppid = Number(f[1]);
      if (pid === 2 || ppid === 2) continue; // kernel threads
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      // utime + stime, plus cutime + cstime (children reaped: short-lived test processes of a shell),
      // except for PostgreSQL's postmaster, which reaps the bench's own backends too.
      const own = Number(f[11]) + Number(f[12]);
      const ticks = /\bbin\/postgres -D\b/.test(cmdline) ? own : own + Number(f[13]) + Number(f[14]);
      result.set(pid, { ppid, ticks, name: cmdline || stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // gone meanwhile
    }
  }
  return result;
}

export interface Interference {
  /** CPU used by other processes during the run, in cores (1 = one core fully busy). */
  otherCores: number;
  /** The biggest of them, for the log. */
  top: Array<{ name: string; cores: number }>;
}

/**
 * Starts counting the CPU of processes that are not the bench's: not this process or its
 * descendants, not PostgreSQL's shared background processes, not backends of `databaseName`.
 * @example const probe = watchInterference('bench_tessera'); …; const { otherCores } = probe.stop();
 */
export function watchInterference(databaseName: string | undefined): { stop(): Interference } {
  const startedAt = process.hrtime.bigint();
  const machineBefore = cpuTicks();
  const before = snapshot();
  return {
    stop() {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const after = snapshot();
      const machineBusyTicks = cpuTicks().busy - machineBefore.busy;
      const ours = (pid: number): boolean => {
        for (let p: number | undefined = pid, depth = 0; p !== undefined && p > 1 && depth < 50; depth++) {
          if (p === process.pid) return true;
          p = after.get(p)?.ppid ?? before.get(p)?.ppid;
        }
        const name = after.get(pid)?.name ?? '';
        if (!name.startsWith('postgres: ')) return false;
        const database = postgresDatabaseOf(name);
        return database === undefined || database === databaseName;
      };
      // A child reaped meanwhile adds its whole life's CPU to its parent's cutime: take off the
      // part it had used before the window.
      const reapedBefore = new Map<number, number>();
      for (const [pid, info] of before) {
        if (!after.has(pid)) reapedBefore.set(info.ppid, (reapedBefore.get(info.ppid) ?? 0) + info.ticks);
      }
      const cores = (ticks: number) => ticks / TICKS_PER_SECOND / seconds;
      const others: Array<{ name: string; cores: number }> = [];
      let ourTicks = 0;
      for (const [pid, info] of after) {
        const used = info.ticks - (before.get(pid)?.ticks ?? 0) - (reapedBefore.get(pid) ?? 0);
        if (used <= 0) continue;
        if (ours(pid)) ourTicks += used;
        else others.push({ name: info.name.slice(0, 60), cores: cores(used) });
      }
      others.sort((a, b) => b.cores - a.cores);
      // Two estimates that err in opposite places: the sum over other processes (a parent that
      // reaps a long-lived child can overcount) and the machine's busy time minus ours (our
      // connections that close meanwhile and the kernel's network work overcount). The smaller wins.
      const byProcess = others.reduce((s, o) => s + o.cores, 0);
      const byMachine = Math.max(0, cores(machineBusyTicks - ourTicks));
      return { otherCores: Math.min(byProcess, byMachine, cpus().length), top: others.slice(0, 3) };
    },
  };
}

/**
 * The database of a PostgreSQL process from its title — "postgres: [CLUSTER: ]USER DB HOST(PORT) …"
 * for a backend, "postgres: [CLUSTER: ]autovacuum worker DB" — or undefined for the shared
 * background processes (checkpointer, WAL writer, …), which count as the bench's own.
 */
function postgresDatabaseOf(title: string): string | undefined {
  const rest = title.replace(/^postgres: (?:[^ :]+: )?/, '');
  return (/^autovacuum worker (\S+)/.exec(rest) ?? /^\S+ (\S+) (?:\S*\(\d+\)|\[local\])/.exec(rest))?.[1];
}

const pct = (share: number) => `${Math.round(share * 100)} %`;
